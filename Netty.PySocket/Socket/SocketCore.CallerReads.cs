namespace Netty.PySocket.Socket;

/// <summary>
/// Caller-owned reads (design/recv.md, "Blocking recv waits in the kernel"): while a plain socket has no select/poll
/// watcher and Python reads it with blocking recv, the event loop stops reading it and a blocked recv waits in
/// poll(2) on the socket itself, as CPython's does. Data then wakes the caller straight from the kernel instead of
/// through the socket engine's thread, the thread pool and the event loop (three hops that, on two cores, compete
/// with the very threads producing the reply). The loop's pending read parks at its next completion and is re-armed
/// when a watcher, TLS or anything else needs readiness from the pipeline again.
/// </summary>
internal sealed partial class SocketCore
{
    /// <summary>Under <see cref="Sync"/>: the event loop leaves this socket's bytes to callers.</summary>
    bool callerReads;

    /// <summary>Under <see cref="Sync"/>: the event loop's read completed while <see cref="callerReads"/> was on and was not re-armed.</summary>
    bool loopReadParked;

    /// <summary>Whether callers own the reads now (tests).</summary>
    internal bool CallerOwnsReads
    {
        get
        {
            lock (Sync) return callerReads;
        }
    }

    /// <summary>Whether the event loop's read is parked now (tests).</summary>
    internal bool LoopReadParked
    {
        get
        {
            lock (Sync) return loopReadParked;
        }
    }

    /// <summary>
    /// Under <see cref="Sync"/>, before a connected socket's channel is registered: callers own the reads from the
    /// start, so the event loop schedules no read until a watcher, TLS or a condition wait asks for one (then the
    /// socket joins the socket engine's epoll set, not before).
    /// </summary>
    void OwnReadsFromStart() => callerReads = true;

    /// <summary>On the event loop, before it reads: true when callers own the reads (the loop parks, not re-arming).</summary>
    internal bool ParkLoopRead()
    {
        lock (Sync)
        {
            if (!callerReads) return false;
            loopReadParked = true;
            return true;
        }
    }

    /// <summary>Under <see cref="Sync"/>: hands reads back to the event loop, re-arming its read if it parked.</summary>
    void EndCallerReads()
    {
        if (!callerReads) return;
        callerReads = false;
        LeaveBlockingDescriptor();
        if (!loopReadParked) return;
        // A caller asleep in recv(2) holds the read gate: the loop reads once it wakes (at most a slice), or the
        // two would race for the stream.
        if (blockingReaders > 0)
        {
            rearmAfterBlockingReaders = true;
            return;
        }
        RearmLoopRead();
    }

    /// <summary>Under <see cref="Sync"/>: the event loop's parked read starts again.</summary>
    void RearmLoopRead()
    {
        loopReadParked = false;
        PyTcpChannel? ch = channel;
        if (ch is null || state != SocketState.Connected) return;
        ch.EventLoop.Execute(static c => ((PyTcpChannel)c!).Read(), ch);
    }

    /// <summary>
    /// select/poll/epoll asked for this socket's readiness: the pipeline reads again from now on, and what the kernel
    /// already holds is pulled into the buffer at once (a select that returns at once for another socket must still
    /// report this one readable, as Linux does: test_selectors' test_selector). Skips the pull when the event loop is
    /// reading right now (it delivers).
    /// </summary>
    void HandReadsBackForReadiness()
    {
        lock (Sync)
        {
            if (!callerReads) return;
            EndCallerReads();
        }
        PullFromKernelNow(TimeSpan.Zero);
    }

    /// <summary>A watcher arrived: readiness must come from the pipeline again.</summary>
    void OnWatcherAdded()
    {
        lock (Sync)
        {
            EndCallerReads();
            EndCallerAccepts();
        }
    }

    /// <summary><see cref="ReceiveWaitingInKernel"/> could not own the reads (watchers, TLS, backpressure...).</summary>
    const int NotOwned = -2;

    /// <summary>
    /// A blocking recv that found nothing: sleeps in recv(2) on the blocking descriptor when nothing else may act on
    /// the socket (<see cref="ReceiveBlocking"/>), else waits in poll(2) on the socket and a wake descriptor, reading
    /// as soon as the kernel has bytes. No spinning first: measured (design/recv.md), a spin that helps on an idle machine costs
    /// 3x on a loaded one, where the kernel's own wake-up stays fast. Returns the bytes read (0 = EOF), -1 when the
    /// caller must take the locked path (bytes buffered by the event loop, a state change, a watcher arrived, the
    /// deadline passed), or <see cref="NotOwned"/>.
    /// </summary>
    int ReceiveWaitingInKernel(Span<byte> destination, bool peek, in Deadline deadline)
    {
        if (deadline.IsNonBlocking || destination.Length == 0) return NotOwned;
        int wake = WakeDescriptor.Rent();
        if (wake < 0) return NotOwned;
        try
        {
            lock (Sync)
            {
                // A plain read of a TLS socket (a dup, or Python's SSLSocket after shutdown() dropped its SSL object)
                // takes what the TLS layer delivers: the event loop must read, whoever owned the reads before.
                if (!PlainPipeline) return NotOwned;
                if (!callerReads)
                {
                    if (state != SocketState.Connected || channel is null || readPaused || Volatile.Read(ref watchers).Length > 0)
                        return NotOwned;
                    callerReads = true;
                }
                AddKernelWaiter(wake);
            }
            // The caller has just found the kernel empty: look at our state, then wait (poll sees what came since).
            for (bool first = true; ; first = false)
            {
                if (!first)
                {
                    int n = TryDirectReceive(destination, peek);
                    if (n >= 0) return n;
                }
                int fd;
                bool sleepInRecv;
                lock (Sync)
                {
                    // Anything but "the kernel has nothing yet" is the locked path's to answer.
                    if (!callerReads || state != SocketState.Connected || readBuffer.Count > 0 || inputEof || shutRead || readError is not null || !PlainPipeline)
                        return -1;
                    fd = PrimaryFd;
                    sleepInRecv = MayBlockInKernel(deadline);
                }
                if (sleepInRecv)
                {
                    int n = SleepInRecv(destination, peek, deadline);
                    if (n != NotOwned) return n;
                }
                if (!WaitInKernel(fd, PollIn, wake, deadline)) return -1;
            }
        }
        finally
        {
            RemoveKernelWaiter(wake);
        }
    }
}
