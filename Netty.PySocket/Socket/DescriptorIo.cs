using System.Runtime.InteropServices;
using Netty.PySocket.Errors;
using Netty.PySocket.Net;

namespace Netty.PySocket.Socket;

/// <summary>
/// recv(2)/send(2) on a stream socket's descriptor, straight through libc. The library's own reads and writes pass
/// MSG_DONTWAIT, so they never block whatever the descriptor's O_NONBLOCK flag says: a blocking recv may clear that
/// flag while it sleeps in the kernel (<see cref="SocketCore"/>, design/recv.md "Blocking descriptor"). System.Net
/// cannot pass MSG_DONTWAIT (it rejects flags it does not map). Results are bytes, or -errno.
/// </summary>
internal static unsafe class DescriptorIo
{
    /// <summary>A recv that never waits: bytes (0 = EOF) or -errno (-EAGAIN when the kernel has nothing).</summary>
    internal static int Receive(System.Net.Sockets.Socket raw, Span<byte> buffer, int flags) =>
        ReceiveCore(raw, buffer, flags | SocketConstants.MSG_DONTWAIT, retryInterrupted: true);

    /// <summary>
    /// A recv with the descriptor's own blocking behaviour (the caller made it blocking): returns -EAGAIN when
    /// SO_RCVTIMEO expires and -EINTR when a signal interrupts it.
    /// </summary>
    internal static int ReceiveWaiting(System.Net.Sockets.Socket raw, Span<byte> buffer, int flags) =>
        ReceiveCore(raw, buffer, flags, retryInterrupted: false);

    /// <summary>A send that never waits (nor raises SIGPIPE): bytes taken or -errno.</summary>
    internal static int Send(System.Net.Sockets.Socket raw, ReadOnlySpan<byte> data)
    {
        SafeHandle h = raw.SafeHandle;
        bool added = false;
        try
        {
            h.DangerousAddRef(ref added); // ObjectDisposedException once closed, as System.Net's calls throw
            int fd = (int)h.DangerousGetHandle();
            fixed (byte* p = data)
            {
                while (true)
                {
                    nint n = LibC.Send(fd, p, (nuint)data.Length, SocketConstants.MSG_DONTWAIT | SocketConstants.MSG_NOSIGNAL);
                    if (n >= 0) return (int)n;
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno != Errno.EINTR) return -errno;
                }
            }
        }
        finally
        {
            if (added) h.DangerousRelease();
        }
    }

    /// <summary>connect(2) with a raw sockaddr (AF_UNSPEC disconnects): 0 or -errno (-EINPROGRESS on a non-blocking socket).</summary>
    internal static int Connect(System.Net.Sockets.Socket raw, ReadOnlySpan<byte> sockaddr)
    {
        SafeHandle h = raw.SafeHandle;
        bool added = false;
        try
        {
            h.DangerousAddRef(ref added); // ObjectDisposedException once closed
            fixed (byte* p = sockaddr)
            {
                return LibC.Connect((int)h.DangerousGetHandle(), p, sockaddr.Length) == 0 ? 0 : -Marshal.GetLastPInvokeError();
            }
        }
        finally
        {
            if (added) h.DangerousRelease();
        }
    }

    static int ReceiveCore(System.Net.Sockets.Socket raw, Span<byte> buffer, int flags, bool retryInterrupted)
    {
        SafeHandle h = raw.SafeHandle;
        bool added = false;
        try
        {
            h.DangerousAddRef(ref added);
            int fd = (int)h.DangerousGetHandle();
            fixed (byte* p = buffer)
            {
                while (true)
                {
                    nint n = LibC.Recv(fd, p, (nuint)buffer.Length, flags);
                    if (n >= 0) return (int)n;
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno != Errno.EINTR || !retryInterrupted) return -errno;
                }
            }
        }
        finally
        {
            if (added) h.DangerousRelease();
        }
    }
}
