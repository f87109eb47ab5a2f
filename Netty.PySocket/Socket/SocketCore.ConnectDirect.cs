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
    /// <summary>
    /// After <see cref="Connect"/> moved a fresh socket to Connecting: connects it on this thread. A connect left in
    /// progress (non-blocking mode, or a timeout) is handed to the <see cref="KernelWatcher"/>.
    /// </summary>
    int ConnectDirect(IPEndPoint remote, in Deadline deadline, bool raise)
    {
        int errno = reconnectInKernel ? KernelConnect(remote) : NetConnect(remote);
        if (errno == Errno.EINPROGRESS)
        {
            if (deadline.IsNonBlocking)
            {
                lock (Sync) connectUnreported = true;
                WatchConnect();
                // Linux answers a non-blocking TCP connect with EINPROGRESS even when loopback settles it at once;
                // the outcome is then read from writability and SO_ERROR.
                return Fail(Errno.EINPROGRESS, raise);
            }
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
                // ProbeConnect recorded the outcome.
            }
            finally
            {
                // A timeout or a signal handler's exception leaves the kernel's connect running, as in CPython:
                // the socket stays Connecting until it settles, and the watcher records the outcome.
                if (abandoned) WatchConnect();
            }
        }
        else
        {
            FinishConnect(errno); // settled within connect(2)
        }
        lock (Sync)
        {
            if (state != SocketState.ConnectFailed) return ConnectOutcome(raise);
            // A blocking connect(2) reports its failure and leaves the socket unconnected, free to connect again.
            // CPython's timeout mode reads the failure from SO_ERROR after poll(2) instead, so the kernel's attempt
            // answers the next connect with ECONNABORTED first (as ConnectFailed without an error does here).
            int failure = soError;
            if (deadline.IsInfinite) ForgetFailedConnect();
            return Fail(failure, raise, clearSoError: true);
        }
    }

    /// <summary>The first connect, through System.Net (which then knows the peer): 0, EINPROGRESS or the errno.</summary>
    int NetConnect(IPEndPoint remote)
    {
        try
        {
            // .NET throws WouldBlock for EINPROGRESS; the socket stays non-blocking, as its channel wants it.
            raw.Blocking = false;
            raw.Connect(remote);
            return 0;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            return Errno.EINPROGRESS;
        }
        catch (SocketException ex)
        {
            return ErrorTable.ToErrno(ex.SocketErrorCode);
        }
        catch (ObjectDisposedException)
        {
            return ErrorTable.ToErrno(SocketError.OperationAborted);
        }
    }

    /// <summary>
    /// connect(2) itself, for a socket whose earlier connect failed: System.Net refuses to connect such a socket
    /// again once its handle was exposed (PlatformNotSupportedException; its own remedy, a new socket dup2()ed over
    /// the descriptor, is off for exposed handles), while Linux allows it (test_sock_lowlevel's connect_racing).
    /// Returns 0, EINPROGRESS or the errno.
    /// </summary>
    int KernelConnect(IPEndPoint remote)
    {
        kernelPeer = remote;
        try
        {
            raw.Blocking = false;
            int errno = -DescriptorIo.Connect(raw, DatagramCore.ToSockAddr(remote));
            return errno == Errno.EAGAIN ? Errno.EINPROGRESS : errno;
        }
        catch (ObjectDisposedException)
        {
            return Errno.EBADF;
        }
    }

    static int ConnectErrno(SocketError outcome) => outcome == SocketError.Success ? 0 : ErrorTable.ToErrno(outcome);

    void WatchConnect() => KernelWatcher.WatchConnect(this, PrimaryFd);

    /// <summary>The watcher saw the descriptor writable or failed: record the outcome (or watch again if it was not).</summary>
    internal void OnConnectSettled()
    {
        if (!SettleIfKernelDid())
        {
            lock (Sync)
            {
                if (state != SocketState.Connecting) return;
            }
            WatchConnect();
        }
    }

    /// <summary>A connect in progress that the kernel settled is recorded now; false while it is still in progress.</summary>
    bool SettleIfKernelDid()
    {
        lock (Sync)
        {
            if (state != SocketState.Connecting) return true;
        }
        return ProbeConnect() is not null;
    }

    /// <summary>Serializes <see cref="ProbeConnect"/>: the kernel gives SO_ERROR once, to one reader.</summary>
    readonly object connectProbe = new();

    /// <summary>
    /// The outcome of a connect in progress if the kernel settled it, recorded at once (<see cref="FinishConnect"/>);
    /// null while it is in progress, OperationAborted when it was recorded already or the socket closed. Callers on
    /// several threads (the caller's wait, the watcher, SO_ERROR, readiness) probe one at a time: the kernel hands
    /// out SO_ERROR once, and a second reader finding 0 recorded a refused connect as connected.
    /// </summary>
    SocketError? ProbeConnect()
    {
        lock (connectProbe)
        {
            lock (Sync)
            {
                if (state != SocketState.Connecting) return SocketError.OperationAborted;
            }
            SocketError outcome;
            try
            {
                if (!raw.Poll(0, SelectMode.SelectWrite)) return null;
                outcome = (SocketError)(int)raw.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
            }
            catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
            {
                return SocketError.OperationAborted;
            }
            FinishConnect(ConnectErrno(outcome));
            return outcome;
        }
    }

    /// <summary>Waits in poll(2) for the connect to settle: its outcome (recorded), or null when the deadline passed.</summary>
    SocketError? AwaitConnect(in Deadline deadline, bool runHook)
    {
        int wake = WakeDescriptor.Rent(); // -1: poll ignores it, and a close is seen at the next slice
        try
        {
            if (wake >= 0) lock (Sync) AddKernelWaiter(wake);
            while (true)
            {
                if (ProbeConnect() is { } settled) return settled;
                if (!WaitInKernel(PrimaryFd, PollOut, wake, deadline, runHook)) return null;
            }
        }
        finally
        {
            if (wake >= 0) RemoveKernelWaiter(wake);
        }
    }

    /// <summary>Records a settled connect (0 or the errno): Connected with its channel, or ConnectFailed with SO_ERROR.</summary>
    void FinishConnect(int errno)
    {
        lock (Sync)
        {
            if (state != SocketState.Connecting) return; // closed meanwhile
            if (errno == 0)
            {
                bool noDelay = raw.NoDelay;
                StartConnected();
                raw.NoDelay = noDelay;
            }
            else
            {
                soError = errno;
                state = SocketState.ConnectFailed;
            }
            Signal();
        }
        NotifyReadiness();
    }
}
