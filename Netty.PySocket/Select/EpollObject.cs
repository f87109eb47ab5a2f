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
/// Owns a real epoll descriptor so <see cref="Fileno"/> is a unique open descriptor, as in CPython.
/// </summary>
public sealed partial class EpollObject : IDisposable
{
    const uint DefaultMask = EPOLLIN | EPOLLPRI | EPOLLOUT;
    const uint ExclusiveOkBits = EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE;
    readonly ReadinessSet set;
    readonly KernelEpoll kernel;
    int epfd = -1; // -1 until created: a constructor that throws must not leave fd 0 for the finalizer to close

    /// <summary><c>select.epoll(sizehint=-1, flags=0)</c>: ValueError "negative sizehint" unless -1 or positive; flags may only be EPOLL_CLOEXEC.</summary>
    public EpollObject(int sizehint = -1, int flags = 0)
    {
        if (sizehint == -1) sizehint = 1023;
        else if (sizehint <= 0) throw PySocketException.ValueError("negative sizehint");
        if (flags != 0 && flags != EPOLL_CLOEXEC) throw PySocketException.OSErrorMessage("invalid flags");
        kernel = new KernelEpoll(() => Volatile.Read(ref epfd));
        set = new ReadinessSet(ReadinessSet.Mode.Epoll, kernel);
        epfd = EpollCreate1(EPOLL_CLOEXEC);
        if (epfd < 0) throw PySocketException.OSError(Marshal.GetLastPInvokeError());
    }

    /// <summary>Closes the descriptor if Python never did.</summary>
    ~EpollObject()
    {
        int fd = Interlocked.Exchange(ref epfd, -1);
        if (fd >= 0) CloseFd(fd);
    }

    /// <summary><c>closed</c>.</summary>
    public bool Closed => Volatile.Read(ref epfd) < 0;

    /// <summary><c>fileno()</c>: ValueError once closed.</summary>
    public int Fileno()
    {
        int fd = Volatile.Read(ref epfd);
        return fd >= 0 ? fd : throw ClosedError();
    }

    /// <summary><c>close()</c>: drops every registration and wakes pollers (they return an empty list). Idempotent.</summary>
    public void Close()
    {
        int fd = Interlocked.Exchange(ref epfd, -1);
        if (fd < 0) return;
        GC.SuppressFinalize(this);
        set.Close();
        CloseFd(fd);
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
        if (fd == Volatile.Read(ref epfd)) throw PySocketException.OSError(Errno.EINVAL);
        return FdRegistry.TryLookup(fd, out FdEntry? e) ? e : null;
    }

    void CheckOpen()
    {
        if (Closed) throw ClosedError();
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

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static partial int EpollCreate1(int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int CloseFd(int fd);
}
