using System.Numerics;
using System.Runtime.InteropServices;
using Netty.PySocket.Errors;
using Netty.PySocket.Socket;
using static Netty.PySocket.Select.PollEvents;

namespace Netty.PySocket.Select;

/// <summary>
/// <c>select.epoll</c>, the object selectors.DefaultSelector picks on Linux. Level-triggered by default; EPOLLET
/// reports a ready descriptor once per readiness change, EPOLLONESHOT once until <see cref="Modify"/> re-arms it.
/// EPOLLERR/EPOLLHUP are always reported. A registered socket closed by anyone is reported once with POLLNVAL (0x20)
/// and dropped, as the kernel drops it at close (so its number can be registered again).
/// Owns a real epoll descriptor so <see cref="Fileno"/> is a unique open descriptor, as in CPython; objects made by
/// <see cref="FromFd"/> share it (and its registrations) with the one that created it.
/// </summary>
public sealed partial class EpollObject : IDisposable
{
    const uint DefaultMask = EPOLLIN | EPOLLPRI | EPOLLOUT;
    const uint ExclusiveOkBits = EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE;

    /// <summary>One epoll descriptor and its registrations, shared by every object over it.</summary>
    sealed class Descriptor
    {
        public int Fd = -1; // -1 until created, and once closed
        public int Objects = 1;
        public ReadinessSet Set = null!;
        public KernelEpoll Kernel = null!;
    }

    /// <summary>Our open epoll descriptors by number (<see cref="FromFd"/>).</summary>
    static readonly System.Collections.Concurrent.ConcurrentDictionary<int, Descriptor> Open = new();

    readonly Descriptor d;
    readonly int number;
    int closed; // this object's close()

    ReadinessSet set => d.Set;
    KernelEpoll kernel => d.Kernel;

    /// <summary><c>select.epoll(sizehint=-1, flags=0)</c>: ValueError "negative sizehint" unless -1 or positive; flags may only be EPOLL_CLOEXEC.</summary>
    public EpollObject(int sizehint = -1, int flags = 0)
    {
        if (sizehint == -1) sizehint = 1023;
        else if (sizehint <= 0) throw PySocketException.ValueError("negative sizehint");
        if (flags != 0 && flags != EPOLL_CLOEXEC) throw PySocketException.OSErrorMessage("invalid flags");
        var shared = new Descriptor();
        shared.Kernel = new KernelEpoll(() => Volatile.Read(ref shared.Fd));
        shared.Set = new ReadinessSet(ReadinessSet.Mode.Epoll, shared.Kernel);
        d = shared;
        int fd = LibC.EpollCreate1(EPOLL_CLOEXEC);
        if (fd < 0)
        {
            closed = 1;
            GC.SuppressFinalize(this);
            throw PySocketException.OSError(Marshal.GetLastPInvokeError());
        }
        number = fd;
        Volatile.Write(ref d.Fd, fd);
        Open[fd] = d;
    }

    EpollObject(Descriptor shared, int fd)
    {
        d = shared;
        number = fd;
    }

    /// <summary>
    /// <c>select.epoll.fromfd(fd)</c>: another object over one of our epoll descriptors, sharing its registrations,
    /// as two CPython objects over one kernel epoll do. Closing either closes the descriptor; the other then raises
    /// EBADF (not "closed"), as in CPython. A descriptor that is not one of our epoll objects: EBADF when it is not
    /// open, else EINVAL (its registrations live in no object of ours).
    /// </summary>
    public static EpollObject FromFd(int fd)
    {
        if (Open.TryGetValue(fd, out Descriptor? shared))
        {
            lock (shared)
            {
                if (Volatile.Read(ref shared.Fd) == fd && shared.Objects > 0)
                {
                    shared.Objects++;
                    return new EpollObject(shared, fd);
                }
            }
        }
        throw PySocketException.OSError(LibC.IsOpen(fd) ? Errno.EINVAL : Errno.EBADF);
    }

    /// <summary>Closes the descriptor when the last object over it goes without close().</summary>
    ~EpollObject()
    {
        if (d is null) return; // the constructor rejected its arguments
        bool last;
        lock (d) last = Interlocked.Exchange(ref closed, 1) == 0 && --d.Objects == 0;
        if (last) CloseDescriptor();
    }

    /// <summary><c>closed</c>: this object's close() (another object's close makes calls raise EBADF instead).</summary>
    public bool Closed => Volatile.Read(ref closed) != 0;

    /// <summary><c>fileno()</c>: ValueError once closed.</summary>
    public int Fileno() => Closed ? throw ClosedError() : number;

    /// <summary><c>close()</c>: drops every registration and wakes pollers (they return an empty list). Idempotent.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref closed, 1) != 0) return;
        GC.SuppressFinalize(this);
        lock (d) d.Objects--;
        CloseDescriptor();
    }

    void CloseDescriptor()
    {
        int fd = Interlocked.Exchange(ref d.Fd, -1);
        if (fd < 0) return;
        Open.TryRemove(new KeyValuePair<int, Descriptor>(fd, d));
        d.Set.Close();
        LibC.Close(fd);
    }

    /// <summary>Same as <see cref="Close"/> (the context manager's exit).</summary>
    public void Dispose() => Close();

    /// <summary>Registered descriptors.</summary>
    public int Count => set.Count;

    /// <summary>
    /// <c>register(fd[, eventmask])</c>: EBADF for a descriptor that is not open, FileExistsError (EEXIST) when already
    /// registered. A descriptor that is not our socket goes to the kernel's epoll (PermissionError EPERM for a regular file).
    /// </summary>
    public void Register(object? fd, object? eventmask = null)
    {
        CheckOpen();
        int n = SelectArgs.AsFileDescriptor(fd);
        uint mask = eventmask is null ? DefaultMask : ToUnsignedInt(eventmask);
        FdEntry? entry = Target(n);
        if (entry is null)
        {
            kernel.Add(n, mask);
            set.Set(n, null, mask);
            return;
        }
        if ((mask & EPOLLEXCLUSIVE) != 0 && (mask & ~ExclusiveOkBits) != 0) throw PySocketException.OSError(Errno.EINVAL);
        // A registration without a socket is a kernel-watched number whose file was closed (the kernel dropped it).
        if (set.Find(n) is { Entry: not null }) throw PySocketException.OSError(Errno.EEXIST);
        set.Set(n, entry, mask);
    }

    /// <summary><c>modify(fd, eventmask)</c>: FileNotFoundError (ENOENT) when not registered; re-arms a one-shot registration.</summary>
    public void Modify(object? fd, object? eventmask)
    {
        CheckOpen();
        int n = SelectArgs.AsFileDescriptor(fd);
        uint mask = ToUnsignedInt(eventmask);
        FdEntry? entry = Target(n);
        if (entry is null)
        {
            kernel.Modify(n, mask);
            set.Set(n, null, mask);
            return;
        }
        if ((mask & EPOLLEXCLUSIVE) != 0) throw PySocketException.OSError(Errno.EINVAL);
        if (set.Find(n) is not { } r || !ReferenceEquals(r.Entry, entry)) throw PySocketException.OSError(Errno.ENOENT);
        set.Set(n, entry, mask);
    }

    /// <summary><c>unregister(fd)</c>: FileNotFoundError (ENOENT) when not registered.</summary>
    public void Unregister(object? fd)
    {
        CheckOpen();
        int n = SelectArgs.AsFileDescriptor(fd);
        FdEntry? entry = Target(n);
        if (entry is null)
        {
            try
            {
                kernel.Remove(n);
            }
            finally
            {
                // Removed, or the kernel no longer has it (its file was closed): either way nothing is left to report.
                if (set.Find(n) is { Entry: null }) set.Remove(n);
            }
            return;
        }
        if (set.Find(n) is not { } r || !ReferenceEquals(r.Entry, entry)) throw PySocketException.OSError(Errno.ENOENT);
        set.Remove(n);
    }

    /// <summary>
    /// <c>poll(timeout=None, maxevents=-1)</c>: timeout in seconds (None or negative: forever; milliseconds rounded up),
    /// at most <paramref name="maxevents"/> (fd, events) pairs (-1: FD_SETSIZE-1).
    /// </summary>
    public List<(int Fd, int Events)> Poll(object? timeout = null, int maxevents = -1)
    {
        CheckOpen();
        Deadline deadline = Deadline.Never;
        if (timeout is not null)
        {
            long ns = SelectArgs.ToNanoseconds(timeout, 1_000_000_000, SelectArgs.Round.Timeout, "timeout must be an integer or None");
            long ms = SelectArgs.NanosecondsToMilliseconds(ns, SelectArgs.Round.Ceiling);
            if (ms < int.MinValue || ms > int.MaxValue) throw PySocketException.Overflow("timeout is too large");
            if (ns >= 0) deadline = SelectArgs.DeadlineFromNanoseconds(ns);
        }
        if (maxevents == -1) maxevents = 1023;
        else if (maxevents < 1) throw PySocketException.ValueError($"maxevents must be greater than 0, got {maxevents}");
        try
        {
            return set.Poll(deadline, maxevents);
        }
        catch (Exception ex) when (ex is not PySocketException)
        {
            throw SelectArgs.Boundary(ex);
        }
    }

    /// <summary>Our socket behind <paramref name="fd"/>, or null for any other descriptor (the kernel's to judge).</summary>
    FdEntry? Target(int fd)
    {
        if (fd == Volatile.Read(ref d.Fd)) throw PySocketException.OSError(Errno.EINVAL);
        return FdRegistry.TryLookup(fd, out FdEntry? e) ? e : null;
    }

    void CheckOpen()
    {
        if (Closed) throw ClosedError();
        if (Volatile.Read(ref d.Fd) < 0) throw PySocketException.OSError(Errno.EBADF); // another object closed it
    }

    static PySocketException ClosedError() => PySocketException.ValueError("I/O operation on closed epoll object");

    /// <summary>The 'I' converter CPython uses for the epoll event mask: any int, truncated to 32 bits.</summary>
    static uint ToUnsignedInt(object? value) => value switch
    {
        int i => unchecked((uint)i),
        long l => unchecked((uint)l),
        uint u => u,
        ulong u => unchecked((uint)u),
        short s => unchecked((uint)s),
        ushort u => u,
        byte b => b,
        sbyte b => unchecked((uint)b),
        bool b => b ? 1u : 0u,
        BigInteger big => (uint)(big & uint.MaxValue),
        _ => throw PySocketException.TypeError($"'{Net.SockAddr.PyTypeName(value)}' object cannot be interpreted as an integer"),
    };
}
