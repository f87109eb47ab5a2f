using Netty.PySocket.Select;

namespace Netty.PySocket.Socket;

/// <summary>
/// What every kernel-side socket offers the descriptor layer (<see cref="FdRegistry"/>, <see cref="SocketObject"/>),
/// select/poll/epoll (<see cref="IPollable"/>) and runtime shutdown: <see cref="SocketCore"/> (SOCK_STREAM, on a
/// DotNetty channel) and <see cref="DatagramCore"/> (SOCK_DGRAM, straight on the kernel socket). Operations that
/// differ by type are dispatched by <see cref="SocketObject"/>.
/// </summary>
internal interface IKernelSocket : IPollable
{
    int Family { get; }
    int Type { get; }
    int Proto { get; }

    /// <summary>The socket's own OS descriptor (its handle).</summary>
    int PrimaryFd { get; }

    /// <summary>Takes another descriptor on this socket (dup).</summary>
    void AddDescriptor();

    /// <summary>A descriptor closed; the socket closes with its last one.</summary>
    void ReleaseDescriptor();

    /// <summary>Runtime shutdown: close now (blocked callers wake with EBADF at once); the task completes when the
    /// event loop has released the descriptor.</summary>
    Task Abort();
}
