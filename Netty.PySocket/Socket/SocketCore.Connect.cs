using System.Net;
using Netty.PySocket.Errors;
using Netty.PySocket.Runtime;

namespace Netty.PySocket.Socket;

internal sealed partial class SocketCore
{
    Task? connectTask;
    int soError;

    /// <summary>
    /// connect(). Blocking and timeout modes connect on the caller's thread as CPython does (<see cref="ConnectDirect"/>)
    /// and wrap the connected socket in a channel; non-blocking mode creates the channel around our (maybe bound)
    /// socket and lets it connect, raising EINPROGRESS: the completion later makes the socket writable with SO_ERROR
    /// set, as the kernel does.
    /// Returns 0 or the errno (connect_ex); throws only what connect_ex also throws.
    /// </summary>
    internal int Connect(IPEndPoint remote, in Deadline deadline, bool raise)
    {
        Task? task = null;
        lock (Sync)
        {
            switch (state)
            {
                case SocketState.Closed:
                    throw BadFd();
                case SocketState.Connected:
                    return Fail(Errno.EISCONN, raise);
                case SocketState.Listening:
                    return Fail(Errno.EISCONN, raise);
                case SocketState.Connecting:
                    // A second connect while the first is in progress (non-blocking): EALREADY, then EISCONN.
                    return Fail(Errno.EALREADY, raise);
                case SocketState.ConnectFailed:
                    // Linux lets a failed socket connect again; we do not reuse a failed channel.
                    return Fail(soError != 0 ? soError : Errno.ECONNABORTED, raise, clearSoError: true);
            }
            if (deadline.IsNonBlocking) task = StartChannelConnect(remote);
            else state = SocketState.Connecting;
        }
        if (task is null) return ConnectDirect(remote, deadline, raise);
        task.ContinueWith((t, s) => ((SocketCore)s!).OnConnectCompleted(t), this, TaskContinuationOptions.ExecuteSynchronously);
        // Linux answers a non-blocking TCP connect with EINPROGRESS even when loopback settles it at once;
        // the outcome is then read from writability and SO_ERROR.
        return Fail(Errno.EINPROGRESS, raise);
    }

    /// <summary>Under the lock, once the connect settled: 0, or the error (raised for connect()).</summary>
    int ConnectOutcome(bool raise) => state switch
    {
        SocketState.Connected => 0,
        SocketState.Closed => throw BadFd(),
        _ => Fail(soError, raise, clearSoError: true),
    };

    /// <summary>Under the lock: the channel connect of a non-blocking connect (the event loop completes it).</summary>
    Task StartChannelConnect(IPEndPoint remote)
    {
        bool noDelay = raw.NoDelay;
        var ch = new PyTcpChannel(raw);
        raw.NoDelay = noDelay;
        AttachChannel(ch);
        state = SocketState.Connecting;
        PySocketRuntime.Group.GetNext().RegisterAsync(ch);
        Task task = ch.ConnectAsync(remote);
        connectTask = task;
        return task;
    }

    int Fail(int errno, bool raise, bool clearSoError = false)
    {
        if (clearSoError) soError = 0;
        if (raise) throw PySocketException.OSError(errno);
        return errno;
    }

    void OnConnectCompleted(Task t)
    {
        lock (Sync)
        {
            if (state == SocketState.Connecting)
            {
                if (t.Status == TaskStatus.RanToCompletion)
                {
                    state = SocketState.Connected;
                    ListLoopbackPeer();
                }
                else
                {
                    PySocketException e = ErrorTable.Translate(t.Exception ?? (Exception)new OperationCanceledException());
                    soError = e.Errno ?? Errno.ETIMEDOUT;
                    state = SocketState.ConnectFailed;
                }
            }
            else if (t.IsFaulted)
            {
                _ = t.Exception; // observed
            }
            Signal();
        }
        NotifyReadiness();
    }

    /// <summary>SO_ERROR: the pending error of a failed non-blocking connect, cleared by reading it.</summary>
    internal int TakeSoError()
    {
        lock (Sync)
        {
            int e = soError;
            soError = 0;
            return e;
        }
    }
}
