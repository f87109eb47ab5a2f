using System.Net;
using System.Net.Sockets;
using Netty.PySocket.Errors;

namespace Netty.PySocket.Socket;

/// <summary>
/// Blocking and timeout connect on the caller's thread (design/socketobject.md, "connect"): connect(2) on the
/// non-blocking socket, poll(2) for the outcome, SO_ERROR; then the connected socket gets its channel, as an accepted
/// one does. The channel's own connect goes through the socket engine's thread, the thread pool and the event loop
/// before the caller hears of it; measured, that was most of a loopback connect+accept+close.
/// </summary>
internal sealed partial class SocketCore
{
    /// <summary>After <see cref="Connect"/> moved a fresh socket to Connecting: connects it on this thread.</summary>
    int ConnectDirect(IPEndPoint remote, in Deadline deadline, bool raise)
    {
        SocketError error;
        try
        {
            // .NET throws WouldBlock for EINPROGRESS; the socket stays non-blocking, as its channel wants it.
            raw.Blocking = false;
            raw.Connect(remote);
            error = SocketError.Success;
        }
        catch (SocketException ex)
        {
            error = ex.SocketErrorCode;
        }
        catch (ObjectDisposedException)
        {
            error = SocketError.OperationAborted;
        }
        if (error is SocketError.WouldBlock or SocketError.InProgress)
        {
            bool abandoned = true;
            try
            {
                SocketError? settled = AwaitConnect(deadline, runHook: true);
                abandoned = settled is null;
                if (abandoned)
                {
                    // Timeout: CPython raises socket.timeout from connect(); connect_ex returns EWOULDBLOCK.
                    if (raise) throw PySocketException.Timeout();
                    return Errno.EAGAIN;
                }
                error = settled!.Value;
            }
            finally
            {
                // A timeout or a signal handler's exception leaves the kernel's connect running, as in CPython:
                // the socket stays Connecting until it settles, and a thread-pool wait records the outcome.
                if (abandoned) _ = Task.Run(() => FinishConnect(AwaitConnect(Deadline.Never, runHook: false) ?? SocketError.OperationAborted));
            }
        }
        FinishConnect(error);
        lock (Sync) return ConnectOutcome(raise);
    }

    /// <summary>Waits in poll(2) for the connect to settle: its SO_ERROR (Success), or null when the deadline passed.</summary>
    SocketError? AwaitConnect(in Deadline deadline, bool runHook)
    {
        int wake = WakeDescriptor.Rent(); // -1: poll ignores it, and a close is seen at the next slice
        try
        {
            if (wake >= 0) lock (Sync) AddKernelWaiter(wake);
            while (true)
            {
                lock (Sync)
                {
                    if (state != SocketState.Connecting) return SocketError.OperationAborted;
                }
                try
                {
                    if (raw.Poll(0, SelectMode.SelectWrite))
                    {
                        return (SocketError)(int)raw.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
                    }
                }
                catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
                {
                    return SocketError.OperationAborted;
                }
                if (!WaitInKernel(PrimaryFd, PollOut, wake, deadline, runHook)) return null;
            }
        }
        finally
        {
            if (wake >= 0) RemoveKernelWaiter(wake);
        }
    }

    /// <summary>Records a settled connect: Connected with its channel, or ConnectFailed with SO_ERROR.</summary>
    void FinishConnect(SocketError error)
    {
        lock (Sync)
        {
            if (state != SocketState.Connecting) return; // closed meanwhile
            if (error == SocketError.Success)
            {
                bool noDelay = raw.NoDelay;
                StartConnected();
                raw.NoDelay = noDelay;
            }
            else
            {
                soError = ErrorTable.ToErrno(error);
                state = SocketState.ConnectFailed;
            }
            Signal();
        }
        NotifyReadiness();
    }
}
