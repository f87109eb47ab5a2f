using Netty.PySocket.Errors;
using Netty.PySocket.Socket;
using static Netty.PySocket.Select.PollEvents;

namespace Netty.PySocket.Select;

/// <summary>Positions (indices into the caller's rlist, wlist, xlist) that are ready, each in input order.</summary>
public sealed record SelectIndices(int[] Readable, int[] Writable, int[] Exceptional);

/// <summary>The three lists <c>select.select</c> returns: the caller's own objects, in the caller's order.</summary>
public sealed record SelectResult<T>(List<T> Readable, List<T> Writable, List<T> Exceptional);

/// <summary>
/// <c>select.select</c>, level-triggered as on Linux. One call: resolve every descriptor, ask each socket's level
/// readiness (<see cref="IPollable.PollMask"/>) and return at once when something is ready or the timeout is 0; only
/// otherwise watch every distinct socket (a watcher behind the pipeline, no pipeline change), check the level again
/// (no lost wakeup), wait on one condition until a watched socket changes or the deadline passes, re-check the
/// sockets that changed, and always remove every watcher before returning.
/// </summary>
public static class SelectModule
{
    /// <summary>
    /// <c>select.select(rlist, wlist, xlist[, timeout])</c> over objects: ints, <see cref="SocketObject"/>s or
    /// <see cref="ISelectable"/>s. Returns the same objects (same identity, input order, duplicates kept) that are
    /// ready. <paramref name="timeout"/>: null blocks, otherwise seconds (a float or int) as CPython parses it.
    /// </summary>
    public static SelectResult<object?> Select(IEnumerable<object?> rlist, IEnumerable<object?> wlist, IEnumerable<object?> xlist, object? timeout = null)
    {
        Deadline deadline = ParseTimeout(timeout);
        object?[] r = rlist.ToArray(), w = wlist.ToArray(), x = xlist.ToArray();
        int[] rf = Fds(r), wf = Fds(w), xf = Fds(x);
        SelectIndices ready = Run(rf, wf, xf, deadline);
        return new SelectResult<object?>(Pick(r, ready.Readable), Pick(w, ready.Writable), Pick(x, ready.Exceptional));
    }

    /// <summary>
    /// The binding's form: descriptors already converted (by <see cref="SelectArgs.AsFileDescriptor"/> or the host's
    /// own fileno() call) next to the host objects they came from; returns those objects, keeping identity cheaply.
    /// </summary>
    public static SelectResult<T> Select<T>(int[] rfds, T[] robjs, int[] wfds, T[] wobjs, int[] xfds, T[] xobjs, object? timeout = null)
    {
        if (rfds.Length != robjs.Length || wfds.Length != wobjs.Length || xfds.Length != xobjs.Length)
            throw new ArgumentException("each descriptor array needs a parallel object array of the same length");
        SelectIndices ready = SelectFds(rfds, wfds, xfds, timeout);
        return new SelectResult<T>(Pick(robjs, ready.Readable), Pick(wobjs, ready.Writable), Pick(xobjs, ready.Exceptional));
    }

    /// <summary>select over descriptors; returns the ready positions of each list in input order.</summary>
    public static SelectIndices SelectFds(int[] rfds, int[] wfds, int[] xfds, object? timeout = null)
    {
        Deadline deadline = ParseTimeout(timeout);
        CheckNonNegative(rfds);
        CheckNonNegative(wfds);
        CheckNonNegative(xfds);
        return Run(rfds, wfds, xfds, deadline);
    }

    /// <summary><c>select.poll()</c>.</summary>
    public static PollObject Poll() => new();

    /// <summary><c>select.epoll(sizehint=-1, flags=0)</c>.</summary>
    public static EpollObject Epoll(int sizehint = -1, int flags = 0) => new(sizehint, flags);

    /// <summary><c>select.epoll.fromfd(fd)</c> (see <see cref="EpollObject.FromFd"/>).</summary>
    public static EpollObject EpollFromFd(int fd) => EpollObject.FromFd(fd);

    static void CheckNonNegative(int[] fds)
    {
        foreach (int fd in fds)
        {
            if (fd < 0) throw PySocketException.ValueError($"file descriptor cannot be a negative integer ({fd})");
        }
    }

    static int[] Fds(object?[] objs)
    {
        var fds = new int[objs.Length];
        for (int i = 0; i < objs.Length; i++)
        {
            fds[i] = SelectArgs.AsFileDescriptor(objs[i]);
        }
        return fds;
    }

    static List<T> Pick<T>(T[] objs, int[] positions)
    {
        var list = new List<T>(positions.Length);
        foreach (int p in positions)
        {
            list.Add(objs[p]);
        }
        return list;
    }

    /// <summary>CPython 3.11 select(): None blocks; else _PyTime_FromSecondsObject(ROUND_TIMEOUT), then "non-negative".</summary>
    static Deadline ParseTimeout(object? timeout)
    {
        if (timeout is null) return Deadline.Never;
        long ns = SelectArgs.ToNanoseconds(timeout, 1_000_000_000, SelectArgs.Round.Timeout, "timeout must be a float or None");
        if (ns < 0) throw PySocketException.ValueError("timeout must be non-negative");
        return SelectArgs.DeadlineFromNanoseconds(ns);
    }

    /// <summary>One watched position: which list, and the socket behind its descriptor.</summary>
    struct Slot
    {
        public FdEntry? Entry; // null for a descriptor that is not one of our sockets (ForeignDescriptor)
        public IPollable Source;
        public byte List; // 0 = r, 1 = w, 2 = x
        public bool Ready;
    }

    internal static SelectIndices Run(int[] r, int[] w, int[] x, Deadline deadline)
    {
        try
        {
            var slots = new Slot[r.Length + w.Length + x.Length];
            int n = 0;
            Resolve(r, 0, slots, ref n);
            Resolve(w, 1, slots, ref n);
            Resolve(x, 2, slots, ref n);

            // Level check first: anything ready (or a zero timeout) returns without watching anything.
            int ready = 0;
            for (int i = 0; i < slots.Length; i++)
            {
                if (Check(ref slots[i])) ready++;
            }
            if (ready == 0 && deadline.IsNonBlocking && CatchUp(slots))
            {
                for (int i = 0; i < slots.Length; i++)
                {
                    Check(ref slots[i]);
                }
            }
            else if (ready == 0 && !deadline.IsNonBlocking)
            {
                WaitForReadiness(slots, deadline);
            }
            PullForReadList(slots);
            return Collect(slots, r.Length, w.Length, x.Length);
        }
        catch (Exception ex) when (ex is not PySocketException)
        {
            throw SelectArgs.Boundary(ex);
        }
    }

    /// <summary>
    /// A socket reported ready for something else whose bytes still wait in the kernel is reported readable in the
    /// same answer, as select(2) would (test_selectors' test_select_read_write).
    /// </summary>
    static void PullForReadList(Slot[] slots)
    {
        HashSet<IPollable>? reported = null;
        foreach (Slot s in slots)
        {
            if (s.List != 0 && s.Ready) (reported ??= new(ReferenceEqualityComparer.Instance)).Add(s.Source);
        }
        if (reported is null) return;
        for (int i = 0; i < slots.Length; i++)
        {
            if (slots[i].List != 0 || slots[i].Ready || slots[i].Entry is not { Closed: false }) continue;
            if (reported.Contains(slots[i].Source) && slots[i].Source.PullFromKernelNow()) Check(ref slots[i]);
        }
    }

    static bool CatchUp(Slot[] slots)
    {
        bool changed = false;
        foreach (Slot s in slots)
        {
            if (s.Entry is { Closed: false } && s.Source.CatchUpWithKernel()) changed = true;
        }
        return changed;
    }

    static void Resolve(int[] fds, byte list, Slot[] slots, ref int n)
    {
        foreach (int fd in fds)
        {
            if (FdRegistry.TryLookup(fd, out FdEntry? e))
            {
                slots[n++] = new Slot { Entry = e!, Source = e!.Core, List = list };
            }
            else if (LibC.IsOpen(fd))
            {
                slots[n++] = new Slot { Entry = null, Source = new ForeignDescriptor(fd), List = list };
            }
            else
            {
                throw PySocketException.OSError(Errno.EBADF);
            }
        }
    }

    /// <summary>Level readiness of one position, Linux's POLLIN_SET / POLLOUT_SET / POLLEX_SET; a descriptor closed under us counts as ready (r and w).</summary>
    static bool Check(ref Slot s)
    {
        int want = s.List switch
        {
            0 => SelectReadSet | POLLNVAL,
            1 => SelectWriteSet | POLLNVAL,
            _ => SelectExceptSet,
        };
        int mask = s.Entry is { Closed: true } ? POLLNVAL : s.Source.PollMask(want);
        s.Ready = (mask & want) != 0;
        return s.Ready;
    }

    static void WaitForReadiness(Slot[] slots, Deadline deadline)
    {
        var call = new SelectCall();
        var bySource = new Dictionary<IPollable, List<int>>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < slots.Length; i++)
        {
            if (!bySource.TryGetValue(slots[i].Source, out List<int>? positions))
            {
                positions = new List<int>(1);
                bySource.Add(slots[i].Source, positions);
            }
            positions.Add(i);
        }
        var watched = new List<IPollable>(bySource.Count);
        try
        {
            foreach (IPollable source in bySource.Keys)
            {
                source.AddWatcher(call);
                watched.Add(source);
            }
            // Check again now that every change reaches us: a change between the first check and the add is seen here.
            bool any = false;
            for (int i = 0; i < slots.Length; i++)
            {
                any |= Check(ref slots[i]);
            }
            bool foreign = Array.Exists(slots, s => s.Source is ForeignDescriptor);
            while (!any)
            {
                // Foreign descriptors tell nobody when they change: wait in short slices and re-read them.
                Deadline slice = foreign && (deadline.IsInfinite || deadline.RemainingMilliseconds(int.MaxValue) > ForeignDescriptor.PollSliceSeconds * 1000)
                    ? Deadline.FromTimeout(ForeignDescriptor.PollSliceSeconds)
                    : deadline;
                HashSet<IPollable>? changed = call.Take(slice);
                if (changed is null)
                {
                    if (!foreign || deadline.Expired) return; // timed out
                    for (int i = 0; i < slots.Length; i++)
                    {
                        if (slots[i].Source is ForeignDescriptor) any |= Check(ref slots[i]);
                    }
                    continue;
                }
                foreach (IPollable source in changed)
                {
                    if (!bySource.TryGetValue(source, out List<int>? positions)) continue;
                    foreach (int i in positions)
                    {
                        any |= Check(ref slots[i]);
                    }
                }
            }
        }
        finally
        {
            foreach (IPollable source in watched)
            {
                source.RemoveWatcher(call);
            }
        }
    }

    static SelectIndices Collect(Slot[] slots, int nr, int nw, int nx)
    {
        return new SelectIndices(Positions(slots, 0, nr), Positions(slots, nr, nw), Positions(slots, nr + nw, nx));
    }

    static int[] Positions(Slot[] slots, int start, int count)
    {
        int k = 0;
        for (int i = 0; i < count; i++)
        {
            if (slots[start + i].Ready) k++;
        }
        if (k == 0) return [];
        var result = new int[k];
        k = 0;
        for (int i = 0; i < count; i++)
        {
            if (slots[start + i].Ready) result[k++] = i;
        }
        return result;
    }

    /// <summary>
    /// The watcher of one select call: the sockets that changed since the call last looked (the doc's concurrent
    /// sets, holding "may have changed" edges; the level is read by the calling thread) and the one condition it waits on.
    /// </summary>
    sealed class SelectCall : IReadinessWatcher
    {
        readonly object gate = new();
        HashSet<IPollable> changed = new(ReferenceEqualityComparer.Instance);

        public void ReadinessChanged(IPollable source)
        {
            lock (gate)
            {
                if (changed.Add(source)) Monitor.PulseAll(gate);
            }
        }

        /// <summary>Waits until some watched socket changed; null once the deadline passed with no change.</summary>
        public HashSet<IPollable>? Take(in Deadline deadline)
        {
            lock (gate)
            {
                while (changed.Count == 0)
                {
                    if (!Waiter.Wait(gate, deadline))
                    {
                        if (changed.Count > 0) break;
                        return null;
                    }
                }
                HashSet<IPollable> taken = changed;
                changed = new HashSet<IPollable>(ReferenceEqualityComparer.Instance);
                return taken;
            }
        }
    }
}
