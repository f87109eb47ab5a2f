using System.Collections.Concurrent;
using Netty.PySocket.Errors;
using Netty.PySocket.Runtime;

namespace Netty.PySocket.Socket;

internal sealed partial class SocketCore
{
    PyTcpServerChannel? server;
    BlockingCollection<SocketCore>? acceptQueue;
    int backlog;
    bool acceptPaused;

    /// <summary>
    /// listen(): the socket (bound by Python, or auto-bound by the OS like Linux does) starts listening and gets a
    /// listening channel whose <see cref="ChildInitializer"/> queues accepted children. The queue holds at most
    /// <c>backlog</c> children: beyond that, accepting pauses (AutoRead off) and the kernel's backlog holds the rest.
    /// </summary>
    internal void Listen(int requestedBacklog)
    {
        int effective = Math.Max(requestedBacklog, 0);
        lock (Sync)
        {
            switch (state)
            {
                case SocketState.Closed:
                    throw BadFd();
                case SocketState.Listening:
                    backlog = Math.Max(effective, 1);
                    Guard(() => raw.Listen(effective));
                    return;
                case SocketState.Fresh:
                    break;
                default:
                    throw PySocketException.OSError(Errno.EINVAL);
            }
            Guard(() => raw.Listen(effective));
            backlog = Math.Max(effective, 1);
            acceptQueue = new BlockingCollection<SocketCore>(new ConcurrentQueue<SocketCore>());
            var srv = new PyTcpServerChannel(raw) { Owner = this };
            srv.Pipeline.AddLast("pysocket-accept", new ChildInitializer(this));
            server = srv;
            state = SocketState.Listening;
            callerAccepts = true; // until a watcher needs the loop to accept (SocketCore.CallerAccepts)
            PySocketRuntime.Group.GetNext().RegisterAsync(srv);
        }
    }

    internal void OnChildAccepted(SocketCore child)
    {
        BlockingCollection<SocketCore>? queue;
        lock (Sync)
        {
            queue = acceptQueue;
            if (state != SocketState.Listening || queue is null)
            {
                child.Close();
                return;
            }
            queue.Add(child);
            if (!acceptPaused && queue.Count >= backlog)
            {
                acceptPaused = true;
                server!.Configuration.AutoRead = false;
                SocketsLog.AcceptPaused(PrimaryFd, queue.Count);
            }
            Signal();
        }
        NotifyReadiness();
    }

    /// <summary>accept(): accept4(2) while callers own the accepts, else the next queued child; as the deadline allows.</summary>
    internal SocketCore Accept(in Deadline deadline)
    {
        while (true)
        {
            bool owned;
            lock (Sync)
            {
                if (state == SocketState.Closed) throw BadFd();
                if (state != SocketState.Listening) throw PySocketException.OSError(Errno.EINVAL);
                owned = callerAccepts && acceptQueue!.Count == 0;
            }
            if (!owned) return AcceptQueued(deadline);
            SocketCore? child = AcceptFromKernel(deadline);
            if (child is not null) return child;
        }
    }

    /// <summary>The event loop accepts: the next queued child, or the kernel's when nothing is queued.</summary>
    SocketCore AcceptQueued(in Deadline deadline)
    {
        BlockingCollection<SocketCore> queue;
        lock (Sync)
        {
            if (state == SocketState.Closed) throw BadFd();
            if (state != SocketState.Listening) throw PySocketException.OSError(Errno.EINVAL);
            queue = acceptQueue!;
            while (true)
            {
                if (queue.TryTake(out SocketCore? child))
                {
                    if (acceptPaused && queue.Count < backlog)
                    {
                        acceptPaused = false;
                        server!.Configuration.AutoRead = true;
                    }
                    return child;
                }
                SocketCore? direct = TryDirectAccept();
                if (direct is not null) return direct;
                if (!Waiter.Wait(Sync, deadline))
                {
                    if (state == SocketState.Closed) throw BadFd();
                    if (queue.Count > 0) continue;
                    if (deadline.IsNonBlocking && CatchUpWithKernel()) continue;
                    throw deadline.IsNonBlocking ? PySocketException.WouldBlock() : PySocketException.Timeout();
                }
                if (state == SocketState.Closed) throw BadFd();
            }
        }
    }

    /// <summary>An accepted child: its core (handler in its pipeline) and its channel registered with the group.</summary>
    internal SocketCore AdoptChild(PyTcpChannel child)
    {
        SocketCore core = ForAccepted(this, child);
        PySocketRuntime.Group.GetNext().RegisterAsync(child);
        return core;
    }

    /// <summary>
    /// With nothing queued, accept(2) on the caller's thread, as CPython does: the connection the kernel already
    /// has is ours at once instead of after the socket engine and the event loop have carried it over (the
    /// engine's own pending accept simply finds nothing). Null when the kernel has nothing either.
    /// </summary>
    SocketCore? TryDirectAccept()
    {
        System.Net.Sockets.Socket accepted;
        try
        {
            accepted = raw.Accept();
        }
        catch (System.Net.Sockets.SocketException)
        {
            return null; // EAGAIN, or a connection that died in the queue (ECONNABORTED): not ours to report
        }
        catch (ObjectDisposedException)
        {
            throw BadFd();
        }
        return AdoptAccepted(accepted);
    }

    /// <summary>A connection taken on the caller's thread: its channel and its core.</summary>
    SocketCore AdoptAccepted(System.Net.Sockets.Socket accepted)
    {
        PyTcpChannel child;
        try
        {
            child = new PyTcpChannel(server!, accepted);
        }
        catch
        {
            accepted.Dispose();
            throw;
        }
        return AdoptChild(child);
    }

    internal int PendingAccepts
    {
        get
        {
            lock (Sync) return acceptQueue?.Count ?? 0;
        }
    }

    void DrainAcceptQueue()
    {
        BlockingCollection<SocketCore>? queue = acceptQueue;
        if (queue is null) return;
        while (queue.TryTake(out SocketCore? child))
        {
            child.Close();
        }
    }

    static void Guard(Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            throw ErrorTable.Translate(ex);
        }
    }
}
