using System.Net.Sockets;
using Netty.PySocket.Errors;
using Netty.PySocket.Net;

namespace Netty.PySocket.Socket;

internal sealed partial class SocketCore
{
    /// <summary>
    /// shutdown(): real TCP half-close. SHUT_WR sends FIN after every byte already accepted by send/sendall has
    /// been written (ordered behind the last write); our input side stays open, so the peer can still answer.
    /// SHUT_RD makes recv return EOF at once and drops what is buffered.
    /// </summary>
    internal void Shutdown(int how)
    {
        PyTcpChannel? ch;
        Task pending;
        lock (Sync)
        {
            if (state == SocketState.Closed) throw BadFd();
            if (how < SocketConstants.SHUT_RD || how > SocketConstants.SHUT_RDWR) throw PySocketException.OSError(Errno.EINVAL);
            if (state != SocketState.Connected) throw PySocketException.OSError(Errno.ENOTCONN);
            ch = channel!;
            pending = lastWrite;
            if (how != SocketConstants.SHUT_WR)
            {
                shutRead = true;
                readBuffer.Clear();
                if (readPaused)
                {
                    readPaused = false;
                }
            }
            if (how != SocketConstants.SHUT_RD)
            {
                shutWrite = true;
            }
            Signal();
        }
        NotifyReadiness();
        if (how != SocketConstants.SHUT_WR)
        {
            TryShutdown(SocketShutdown.Receive);
        }
        if (how != SocketConstants.SHUT_RD)
        {
            // The FIN must follow the queued data: run it on the event loop after the last write completed.
            if (pending.IsCompleted)
            {
                ch.EventLoop.Execute(() => TryShutdown(SocketShutdown.Send));
            }
            else
            {
                pending.ContinueWith(_ => ch.EventLoop.Execute(() => TryShutdown(SocketShutdown.Send)), TaskContinuationOptions.ExecuteSynchronously);
            }
        }
    }

    void TryShutdown(SocketShutdown how)
    {
        try
        {
            raw.Shutdown(how);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already reset or closed: nothing left to shut down.
        }
    }
}
