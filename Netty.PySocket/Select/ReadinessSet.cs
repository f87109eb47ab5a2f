using Netty.PySocket.Socket;
using static Netty.PySocket.Select.PollEvents;

namespace Netty.PySocket.Select;

/// <summary>
/// The engine of poll and epoll objects (the doc's "per-poll-object queue"): registrations keep a watcher on their
/// socket while registered, and a watcher only puts its registration on a ready list (once). A poll call takes the
/// ready list, reads each entry's level readiness, reports the ready ones and puts level-triggered ones back, so its
/// cost grows with the sockets that changed or stayed ready, never with the sockets registered. Registered
/// descriptors that are not our sockets (null <see cref="Registration.Entry"/>) are read from the kernel
/// (<see cref="IKernelReadiness"/>) on every call, and while there are any a waiting call wakes every
/// <see cref="ForeignDescriptor.PollSliceSeconds"/> to re-read them (nobody notifies us of their changes).
/// Lock order: never hold <see cref="gate"/> while taking a socket's lock (<see cref="IPollable.PollMask"/>).
/// </summary>
internal sealed class ReadinessSet
{
    internal enum Mode
    {
        /// <summary>select.poll: level-triggered; closed descriptors report POLLNVAL on every call; fd numbers followed.</summary>
        Poll,
        /// <summary>epoll: EPOLLET/EPOLLONESHOT honoured; a closed descriptor is reported once (POLLNVAL) and dropped.</summary>
        Epoll,
    }

    readonly object gate = new();
    readonly Dictionary<int, Registration> registrations = new();
    readonly Mode mode;
    readonly IKernelReadiness kernel;
    readonly List<Registration> foreign = new();
    List<Registration> ready = new();
    long nextSeq;
    bool closed;

    internal ReadinessSet(Mode mode, IKernelReadiness kernel)
    {
        this.mode = mode;
        this.kernel = kernel;
    }

    internal int Count
    {
        get
        {
            lock (gate) return registrations.Count;
        }
    }

    /// <summary>The registration for <paramref name="fd"/>, or null. Epoll drops one whose descriptor was closed (the kernel removes it at close).</summary>
    internal Registration? Find(int fd)
    {
        lock (gate)
        {
            if (!registrations.TryGetValue(fd, out Registration? r)) return null;
            if (mode == Mode.Epoll && r.Entry is { Closed: true })
            {
                RemoveLocked(r);
                return null;
            }
            return r;
        }
    }

    /// <summary>Adds (or, for poll, re-arms) the registration of <paramref name="fd"/> with <paramref name="events"/>.</summary>
    internal void Set(int fd, FdEntry? entry, uint events)
    {
        lock (gate)
        {
            if (registrations.TryGetValue(fd, out Registration? r))
            {
                r.Events = events;
                r.Disabled = false;
                if (!ReferenceEquals(r.Entry, entry)) Bind(r, entry);
            }
            else
            {
                r = new Registration(this, fd, nextSeq++) { Events = events };
                registrations.Add(fd, r);
                Bind(r, entry);
            }
            // A registration that is ready now is reported by the next poll, as the kernel does on EPOLL_CTL_ADD/MOD.
            EnqueueLocked(r);
            Monitor.PulseAll(gate);
        }
    }

    internal bool Remove(int fd)
    {
        lock (gate)
        {
            if (!registrations.TryGetValue(fd, out Registration? r)) return false;
            RemoveLocked(r);
            return true;
        }
    }

    /// <summary>Drops every registration (epoll close) and wakes pollers.</summary>
    internal void Close()
    {
        lock (gate)
        {
            closed = true;
            foreach (Registration r in registrations.Values.ToList())
            {
                RemoveLocked(r);
            }
            Monitor.PulseAll(gate);
        }
    }

    void RemoveLocked(Registration r)
    {
        registrations.Remove(r.Fd);
        r.Active = false;
        Bind(r, null);
    }

    /// <summary>Under <see cref="gate"/>: select.poll follows a number to a socket of ours that took it since.</summary>
    void FollowNumbersLocked()
    {
        for (int i = foreign.Count - 1; i >= 0; i--)
        {
            Registration r = foreign[i];
            if (!FdRegistry.TryLookup(r.Fd, out FdEntry? now)) continue;
            Bind(r, now);
            EnqueueLocked(r);
        }
    }

    /// <summary>Under <see cref="gate"/>: watches <paramref name="entry"/>'s socket, or, for null, puts the registration with the kernel-read ones.</summary>
    void Bind(Registration r, FdEntry? entry)
    {
        if (r.Entry is null) foreign.Remove(r);
        else r.Entry.Core.RemoveWatcher(r);
        r.Entry = entry;
        if (entry is not null) entry.Core.AddWatcher(r);
        else if (r.Active) foreign.Add(r);
    }

    internal void Enqueue(Registration r)
    {
        lock (gate)
        {
            if (EnqueueLocked(r)) Monitor.PulseAll(gate);
        }
    }

    bool CatchUpAll()
    {
        Registration[] all;
        lock (gate)
        {
            all = [.. registrations.Values];
        }
        var changed = new List<Registration>();
        foreach (Registration r in all)
        {
            if (r.Active && r.Entry is { Closed: false } e && e.Core.CatchUpWithKernel()) changed.Add(r);
        }
        if (changed.Count == 0) return false;
        lock (gate)
        {
            // Queue them ourselves: their watcher's notice may still be on its way from the event loop.
            foreach (Registration r in changed)
            {
                EnqueueLocked(r);
            }
        }
        return true;
    }

    bool EnqueueLocked(Registration r)
    {
        // Kernel-read registrations are looked at on every call; the ready list is for our sockets.
        if (!r.Active || r.Queued || r.Entry is null) return false;
        r.Queued = true;
        ready.Add(r);
        return true;
    }

    /// <summary>
    /// One poll: waits (as <paramref name="deadline"/> allows) until at least one registration is ready, returns up to
    /// <paramref name="maxEvents"/> (fd, revents) pairs, one per descriptor.
    /// </summary>
    internal List<(int Fd, int Events)> Poll(in Deadline deadline, int maxEvents)
    {
        var results = new List<(int Fd, int Events)>();
        var hits = new List<(Registration R, int Events)>();
        bool caughtUp = false;
        Registration[]? startedWith = null;
        while (true)
        {
            List<Registration> batch;
            Registration[] kernelRead;
            lock (gate)
            {
                if (closed) return results;
                if (ready.Count == 0)
                {
                    batch = NoneReady;
                }
                else
                {
                    batch = ready;
                    ready = new List<Registration>();
                    foreach (Registration r in batch)
                    {
                        r.Queued = false;
                    }
                }
                if (mode == Mode.Poll)
                {
                    if (foreign.Count > 0) FollowNumbersLocked();
                    // poll(2) watches the array it was given: the descriptors registered when this call started,
                    // even if unregistered meanwhile (test_poll's test_threaded_poll relies on it).
                    kernelRead = startedWith ??= foreign.Count == 0 ? [] : [.. foreign];
                }
                else
                {
                    kernelRead = foreign.Count == 0 ? [] : [.. foreign];
                }
            }

            // Level checks outside the gate (they take each socket's lock).
            hits.Clear();
            int i = 0;
            for (; i < batch.Count && hits.Count < maxEvents; i++)
            {
                Registration r = batch[i];
                if (!r.Active) continue;
                int interest = Interest(r);
                int mask = Level(r, interest);
                int reported = mask & interest;
                // Reported for something else while bytes wait in the kernel: poll(2) would say POLLIN too.
                if (reported != 0 && (interest & POLLIN) != 0 && (reported & POLLIN) == 0 && r.Entry is { Closed: false } e &&
                    e.Core.PullFromKernelNow())
                {
                    reported = Level(r, interest) & interest;
                }
                if (reported != 0) hits.Add((r, reported));
            }
            if (kernelRead.Length > 0 && hits.Count < maxEvents) kernel.Collect(kernelRead, hits, maxEvents);

            lock (gate)
            {
                // Entries not looked at (maxevents reached) go first next time; reported level-triggered ones after them.
                if (i < batch.Count)
                {
                    var rest = new List<Registration>(batch.Count - i + ready.Count);
                    for (int k = i; k < batch.Count; k++)
                    {
                        Registration r = batch[k];
                        if (r.Active && !r.Queued)
                        {
                            r.Queued = true;
                            rest.Add(r);
                        }
                    }
                    rest.AddRange(ready);
                    ready = rest;
                }
                foreach ((Registration r, int ev) in hits)
                {
                    if (!r.Active && !(mode == Mode.Poll && r.Entry is null)) continue; // unregistered while we looked
                    results.Add((r.Fd, ev));
                    if (r.Entry is null) continue; // the kernel's: read again on every call, its own ET/ONESHOT
                    if (mode == Mode.Epoll)
                    {
                        if ((ev & POLLNVAL) != 0)
                        {
                            RemoveLocked(r);
                            continue;
                        }
                        if ((r.Events & EPOLLONESHOT) != 0)
                        {
                            r.Disabled = true;
                            continue;
                        }
                        if ((r.Events & EPOLLET) != 0) continue;
                    }
                    EnqueueLocked(r);
                }
                if (results.Count > 0) break;
                if (!deadline.IsNonBlocking)
                {
                    if (deadline.Expired) break;
                    if (ready.Count == 0 && !closed)
                    {
                        // Kernel-read descriptors tell nobody when they change: wake in slices to read them again.
                        bool sliced = kernelRead.Length > 0 &&
                            (deadline.IsInfinite || deadline.RemainingMilliseconds(int.MaxValue) > ForeignDescriptor.PollSliceSeconds * 1000);
                        Waiter.Wait(gate, sliced ? Deadline.FromTimeout(ForeignDescriptor.PollSliceSeconds) : deadline);
                    }
                    continue;
                }
                if (caughtUp) break;
            }
            // Nothing ready and timeout 0: let sockets whose kernel side is ahead catch up once (SocketCore.KernelSync.cs).
            caughtUp = true;
            if (!CatchUpAll()) break;
        }
        if (mode == Mode.Poll && results.Count > 1)
        {
            // CPython's poll reports in its pollfd array order: registration order.
            Dictionary<int, long> order = new(results.Count);
            lock (gate)
            {
                foreach ((int fd, _) in results)
                {
                    order[fd] = registrations.TryGetValue(fd, out Registration? r) ? r.Seq : long.MaxValue;
                }
            }
            results.Sort((a, b) => order[a.Fd].CompareTo(order[b.Fd]));
        }
        return results;
    }

    static readonly List<Registration> NoneReady = new();

    int Interest(Registration r)
    {
        if (mode == Mode.Poll) return (int)(r.Events & 0xFFFF) | POLLERR | POLLHUP | POLLNVAL;
        if (r.Disabled) return POLLNVAL;
        return (int)(r.Events & ~(EPOLLET | EPOLLONESHOT | EPOLLEXCLUSIVE | EPOLLWAKEUP)) | POLLERR | POLLHUP | POLLNVAL;
    }

    /// <summary>
    /// The registration's level readiness. A closed descriptor is POLLNVAL; select.poll, which watches descriptor
    /// numbers, follows the number to a socket that took it since (as poll(2) does).
    /// </summary>
    int Level(Registration r, int interest)
    {
        FdEntry? e = r.Entry;
        if (e is null || e.Closed)
        {
            if (mode == Mode.Epoll || !FdRegistry.TryLookup(r.Fd, out FdEntry? now) || ReferenceEquals(now, e)) return POLLNVAL;
            lock (gate)
            {
                if (!r.Active) return 0;
                if (!ReferenceEquals(r.Entry, now)) Bind(r, now);
            }
            e = now!;
            if (e.Closed) return POLLNVAL;
        }
        return e.Core.PollMask(interest);
    }

    /// <summary>One registered descriptor: its socket's watcher while registered.</summary>
    internal sealed class Registration : IReadinessWatcher
    {
        readonly ReadinessSet owner;

        public Registration(ReadinessSet owner, int fd, long seq)
        {
            this.owner = owner;
            Fd = fd;
            Seq = seq;
        }

        public int Fd { get; }
        public long Seq { get; }
        public FdEntry? Entry;
        public uint Events;
        public bool Queued;
        public bool Active = true;
        public bool Disabled;

        public void ReadinessChanged(IPollable source) => owner.Enqueue(this);
    }
}
