using DotNetty.Transport.Channels;
using Netty.PySocket.Runtime;

namespace Netty.PySocket.Socket;

internal sealed partial class SocketCore
{
    /// <summary>
    /// Closes the socket. Wakes every blocked caller (they get EBADF). Bytes already accepted by send/sendall are
    /// not lost: the channel closes only after its last write completed (Netty's close fails writes still queued).
    /// SO_LINGER with a zero timeout closes at once, as the kernel would (reset).
    /// </summary>
    internal void Close()
    {
        PyTcpChannel? ch;
        PyTcpServerChannel? srv;
        Task pendingWrites;
        lock (Sync)
        {
            if (state == SocketState.Closed) return;
            state = SocketState.Closed;
            ch = channel;
            srv = server;
            pendingWrites = lastWrite;
            readBuffer.Clear();
            Signal();
        }
        PySocketRuntime.OpenSockets.TryRemove(this, out _);
        NotifyReadiness();
        if (srv is not null)
        {
            _ = srv.CloseAsync();
            DrainAcceptQueue();
        }
        else if (ch is not null)
        {
            bool abortive = raw.LingerState is { Enabled: true, LingerTime: 0 };
            if (pendingWrites.IsCompleted || abortive)
            {
                CloseChannel(ch);
            }
            else
            {
                pendingWrites.ContinueWith((_, c) => CloseChannel((PyTcpChannel)c!), ch, TaskContinuationOptions.ExecuteSynchronously);
            }
        }
        else
        {
            raw.Dispose();
        }
    }

    void CloseChannel(PyTcpChannel ch)
    {
        if (!ch.Registered)
        {
            raw.Dispose();
            return;
        }
        ch.CloseAsync().ContinueWith(
            (t, fd) => SocketsLog.CloseFailed((int)fd!, t.Exception!),
            PrimaryFd,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
    }

    /// <summary>Runtime shutdown: close now, without waiting for queued writes.</summary>
    internal void Abort()
    {
        lock (Sync)
        {
            lastWrite = Task.CompletedTask;
        }
        Close();
    }
}
