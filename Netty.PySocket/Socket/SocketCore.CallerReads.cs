using Netty.PySocket.Runtime;
using static Netty.PySocket.Socket.LibC;

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
    /// <summary>Off: blocking recv waits on the condition the event loop signals (benchmarks compare both).</summary>
    internal static bool CallerReadsEnabled = true;

    /// <summary>Under <see cref="Sync"/>: the event loop leaves this socket's bytes to callers.</summary>
    bool callerReads;

    /// <summary>Under <see cref="Sync"/>: the event loop's read completed while <see cref="callerReads"/> was on and was not re-armed.</summary>
    bool loopReadParked;

    /// <summary>Under <see cref="Sync"/>: wake descriptors of callers blocked in poll(2) on this socket; <see cref="Signal"/> writes them.</summary>
    int[] kernelWaiters = [];

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
        if (!loopReadParked) return;
        loopReadParked = false;
        PyTcpChannel? ch = channel;
        if (ch is null || state != SocketState.Connected) return;
        ch.EventLoop.Execute(static c => ((PyTcpChannel)c!).Read(), ch);
    }

    /// <summary>A watcher arrived: readiness must come from the pipeline again.</summary>
    void OnWatcherAdded()
    {
        lock (Sync) EndCallerReads();
    }

    void WakeKernelWaiters()
    {
        foreach (int fd in kernelWaiters) WakeDescriptor.Wake(fd);
    }

    /// <summary><see cref="ReceiveWaitingInKernel"/> could not own the reads (watchers, TLS, backpressure...).</summary>
    const int NotOwned = -2;

    /// <summary>
    /// A blocking recv that found nothing: waits in poll(2) on the socket and a wake descriptor, reading as soon as
    /// the kernel has bytes. No spinning first: measured (design/recv.md), a spin that helps on an idle machine costs
    /// 3x on a loaded one, where the kernel's own wake-up stays fast. Returns the bytes read (0 = EOF), -1 when the
    /// caller must take the locked path (bytes buffered by the event loop, a state change, a watcher arrived, the
    /// deadline passed), or <see cref="NotOwned"/>.
    /// </summary>
    int ReceiveWaitingInKernel(Span<byte> destination, bool peek, in Deadline deadline)
    {
        if (!CallerReadsEnabled || deadline.IsNonBlocking || destination.Length == 0) return NotOwned;
        int wake = WakeDescriptor.Rent();
        if (wake < 0) return NotOwned;
        try
        {
            lock (Sync)
            {
                if (!callerReads)
                {
                    if (state != SocketState.Connected || channel is null || !PlainPipeline || readPaused || Volatile.Read(ref watchers).Length > 0)
                        return NotOwned;
                    callerReads = true;
                }
                kernelWaiters = [.. kernelWaiters, wake];
            }
            int slice = (int)PySocketRuntime.BlockingWaitSlice.TotalMilliseconds;
            while (true)
            {
                int n = TryDirectReceive(destination, peek);
                if (n >= 0) return n;
                int fd;
                lock (Sync)
                {
                    // Anything but "the kernel has nothing yet" is the locked path's to answer.
                    if (!callerReads || state != SocketState.Connected || readBuffer.Count > 0 || inputEof || shutRead || readError is not null)
                        return -1;
                    fd = PrimaryFd;
                }
                int ms = deadline.RemainingMilliseconds(slice);
                if (ms == 0) return -1;
                // A close or shutdown signals under the lock before the descriptor goes away, and the wake
                // descriptor is registered: a poll that starts after that returns at once.
                int ready = PollReadable(fd, wake, ms);
                if (PySocketRuntime.IsShutDown && PySocketRuntime.FreezeBlockedCallersOnShutdown) Thread.Sleep(Timeout.Infinite);
                if (ready == 0)
                {
                    Action? hook = PySocketRuntime.BlockingWaitHook;
                    if (hook is not null)
                    {
                        try
                        {
                            hook();
                        }
                        catch (Exception ex)
                        {
                            throw new WaitInterruptedException(ex);
                        }
                    }
                    if (deadline.Expired) return -1;
                }
            }
        }
        finally
        {
            lock (Sync)
            {
                if (Array.IndexOf(kernelWaiters, wake) >= 0) kernelWaiters = Array.FindAll(kernelWaiters, w => w != wake);
            }
            WakeDescriptor.Return(wake);
        }
    }

    /// <summary>poll(2) for input on <paramref name="fd"/> or a wake-up; 0 when the time ran out.</summary>
    static unsafe int PollReadable(int fd, int wake, int milliseconds)
    {
        const short POLLIN = 0x1;
        PollFd* fds = stackalloc PollFd[2];
        fds[0] = new PollFd { Fd = fd, Events = POLLIN };
        fds[1] = new PollFd { Fd = wake, Events = POLLIN };
        int r = Poll(fds, 2, milliseconds);
        return r < 0 ? 1 : r; // EINTR and the like: the caller looks again
    }
}
