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
    internal void Close() => CloseCore(wait: true);

    /// <summary>
    /// <see cref="Close"/>; with <paramref name="wait"/> false it does not wait for the event loop to release the
    /// descriptor and returns the task that does (runtime shutdown closes every socket first, then waits once).
    /// </summary>
    Task CloseCore(bool wait)
    {
        PyTcpChannel? ch;
        PyTcpServerChannel? srv;
        Task pendingWrites;
        lock (Sync)
        {
            if (state == SocketState.Closed) return Task.CompletedTask;
            KernelWatcher.Unwatch(this, PrimaryFd); // before the number can be reused (a connect, or a full send buffer)
            WakeKernelAcceptors();
            state = SocketState.Closed;
            ch = channel;
            srv = server;
            pendingWrites = lastWrite;
            readBuffer.Clear();
            WakeBlockingReaders();
            Signal();
        }
        PySocketRuntime.OpenSockets.TryRemove(this, out _);
        UnlistLoopbackPeer();
        NotifyReadiness();
        if (srv is not null)
        {
            Task closing = srv.CloseAsync();
            if (wait)
            {
                WaitReleased(closing, srv);
                WaitDescriptorReleased();
            }
            DrainAcceptQueue();
            return closing;
        }
        if (ch is not null)
        {
            bool abortive = IsAbortiveLinger();
            if (pendingWrites.IsCompleted || abortive)
            {
                Task closing = CloseChannel(ch);
                if (wait)
                {
                    WaitReleased(closing, ch);
                    WaitDescriptorReleased();
                }
                return closing;
            }
            pendingWrites.ContinueWith((_, c) => _ = CloseChannel((PyTcpChannel)c!), ch, TaskContinuationOptions.ExecuteSynchronously);
            return Task.CompletedTask;
        }
        raw.Dispose();
        return Task.CompletedTask;
    }

    bool IsAbortiveLinger()
    {
        try
        {
            return raw.LingerState is { Enabled: true, LingerTime: 0 };
        }
        catch (Exception ex) when (ex is ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            return true; // the channel already closed the socket (failed connect, reset)
        }
    }

    Task CloseChannel(PyTcpChannel ch)
    {
        if (!ch.Registered)
        {
            raw.Dispose();
            return Task.CompletedTask;
        }
        Task closing = ch.CloseAsync();
        closing.ContinueWith(
            (t, fd) => SocketsLog.CloseFailed((int)fd!, t.Exception!),
            PrimaryFd,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
        return closing;
    }

    /// <summary>
    /// close() returns once the descriptor is really closed, as close(2) does: Python may reuse or dup2 over the
    /// number at once (test_selectors' fd reuse tests), so a close still pending on the event loop could close
    /// somebody else's descriptor. Only a close held back for queued writes stays asynchronous (the number stays
    /// ours until then, so nobody can reuse it).
    /// </summary>
    static void WaitReleased(Task closing, DotNetty.Transport.Channels.IChannel ch)
    {
        if (!closing.IsCompleted && ch.Registered && !ch.EventLoop.InEventLoop)
        {
            try
            {
                closing.Wait(TimeSpan.FromSeconds(1));
            }
            catch (AggregateException)
            {
                // Logged by CloseChannel's continuation; the descriptor is gone either way.
            }
        }
    }

    /// <summary>
    /// .NET closes the descriptor only once the socket engine has let go of its pending operation (accept, or the
    /// zero-byte receive) after Dispose, on the engine's thread. Give it a moment so close() returns with the number
    /// released. Bounded: another thread may already have been given the same number.
    /// </summary>
    void WaitDescriptorReleased()
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var spin = new SpinWait();
        while (LibC.IsOpen(PrimaryFd) && sw.ElapsedMilliseconds < 100)
        {
            spin.SpinOnce();
        }
    }

    /// <summary>Runtime shutdown: close now, without waiting for queued writes nor for the event loop.</summary>
    public Task Abort()
    {
        lock (Sync)
        {
            lastWrite = Task.CompletedTask;
        }
        return CloseCore(wait: false);
    }
}
