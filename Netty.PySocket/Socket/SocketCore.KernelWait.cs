using Netty.PySocket.Runtime;
using static Netty.PySocket.Socket.LibC;

namespace Netty.PySocket.Socket;

/// <summary>
/// Callers that wait in the kernel (poll(2) on the socket) instead of on <see cref="Sync"/>: blocking recv with
/// caller-owned reads and blocking sendall on a full send buffer (design/recv.md, design/send-sendall.md). Each
/// registers a <see cref="WakeDescriptor"/> that <see cref="Signal"/> writes, so a close or shutdown still wakes it.
/// </summary>
internal sealed partial class SocketCore
{
    /// <summary>Under <see cref="Sync"/>: wake descriptors of callers blocked in poll(2) on this socket.</summary>
    int[] kernelWaiters = [];

    /// <summary>
    /// Callers blocked in poll(2) or recv(2) on this socket now (tests: a thread in a syscall does not report
    /// WaitSleepJoin).
    /// </summary>
    internal int KernelWaiters
    {
        get
        {
            lock (Sync) return kernelWaiters.Length + blockingReaders;
        }
    }

    void WakeKernelWaiters()
    {
        foreach (int fd in kernelWaiters) WakeDescriptor.Wake(fd);
    }

    const short PollIn = 0x1, PollOut = 0x4;

    /// <summary>
    /// One slice of a caller's wait in poll(2) for <paramref name="events"/> on <paramref name="fd"/> or a wake-up
    /// (at most <see cref="PySocketRuntime.BlockingWaitSlice"/>, then the host's signal hook runs, as in
    /// <see cref="Waiter"/>). False when the deadline has passed; true when the caller should look again.
    /// A close or shutdown signals under the lock before the descriptor goes away and the wake descriptor is
    /// registered by then: a poll that starts after that returns at once. <paramref name="runHook"/> false off the
    /// host's threads (the hook runs Python signal handlers).
    /// </summary>
    static unsafe bool WaitInKernel(int fd, short events, int wake, in Deadline deadline, bool runHook = true, int capMilliseconds = int.MaxValue)
    {
        int ms = deadline.RemainingMilliseconds(Math.Min(capMilliseconds, (int)PySocketRuntime.BlockingWaitSlice.TotalMilliseconds));
        if (ms == 0) return false;
        PollFd* fds = stackalloc PollFd[2];
        fds[0] = new PollFd { Fd = fd, Events = events };
        fds[1] = new PollFd { Fd = wake, Events = PollIn };
        int ready = Poll(fds, 2, ms); // < 0 (EINTR): look again
        if (fds[1].Revents != 0) WakeDescriptor.Drain(wake); // the caller re-checks the state that was signalled
        if (ready != 0)
        {
            FreezeOnShutdown();
            return true;
        }
        return AfterSlice(deadline, runHook);
    }

    /// <summary>A thread returning into a runtime that is shutting down stays blocked (the host asks so).</summary>
    static void FreezeOnShutdown()
    {
        if (PySocketRuntime.IsShutDown && PySocketRuntime.FreezeBlockedCallersOnShutdown) Thread.Sleep(Timeout.Infinite);
    }

    /// <summary>
    /// After a slice of a kernel wait passed with nothing: the host's signal hook runs (its exception interrupts the
    /// call). False when the deadline has passed.
    /// </summary>
    static bool AfterSlice(in Deadline deadline, bool runHook = true)
    {
        FreezeOnShutdown();
        Action? hook = runHook ? PySocketRuntime.BlockingWaitHook : null;
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
        return !deadline.Expired;
    }

    /// <summary>Registers a wake descriptor for <see cref="Signal"/> (under <see cref="Sync"/>).</summary>
    void AddKernelWaiter(int wake) => kernelWaiters = [.. kernelWaiters, wake];

    /// <summary>Unregisters and returns a wake descriptor.</summary>
    void RemoveKernelWaiter(int wake)
    {
        lock (Sync)
        {
            if (Array.IndexOf(kernelWaiters, wake) >= 0) kernelWaiters = Array.FindAll(kernelWaiters, w => w != wake);
        }
        WakeDescriptor.Return(wake);
    }
}
