using System.Numerics;
using System.Runtime.ExceptionServices;
using Netty.PySocket.Errors;
using Netty.PySocket.Net;
using Netty.PySocket.Runtime;

namespace Netty.PySocket.Socket;

/// <summary>
/// CPython 3.11's <c>_socket.socket</c> object: one descriptor on a socket, with its own timeout. Every method
/// validates its arguments first, then does I/O; one code path serves blocking, timeout and non-blocking modes
/// (the timeout becomes a <see cref="Deadline"/>). Only <see cref="PySocketException"/> leaves a public method
/// (and, unchanged, whatever the host's <see cref="PySocketRuntime.BlockingWaitHook"/> throws).
/// </summary>
public sealed partial class SocketObject
{
    static double? defaultTimeout;
    FdEntry? entry;
    double? timeout;
    readonly int family;
    readonly int type;
    readonly int proto;

    /// <summary>
    /// <c>socket(family, type, proto)</c>: a new TCP (SOCK_STREAM) or UDP (SOCK_DGRAM) socket, AF_INET or AF_INET6,
    /// or an AF_UNIX SOCK_STREAM or SOCK_DGRAM socket.
    /// </summary>
    public SocketObject(int family = SocketConstants.AF_INET, int type = SocketConstants.SOCK_STREAM, int proto = 0)
    {
        if (PySocketRuntime.IsShutDown) throw PySocketException.OSError(Errno.EBADF);
        if (family == -1) family = SocketConstants.AF_INET;
        if (type == -1) type = SocketConstants.SOCK_STREAM;
        if (proto == -1) proto = 0;
        bool nonBlocking = (type & SocketConstants.SOCK_NONBLOCK) != 0;
        int baseType = type & ~(SocketConstants.SOCK_NONBLOCK | SocketConstants.SOCK_CLOEXEC);
        if (family != SocketConstants.AF_INET && family != SocketConstants.AF_INET6 && family != SocketConstants.AF_UNIX)
            throw PySocketException.OSError(Errno.EAFNOSUPPORT);
        IKernelSocket core;
        if (family == SocketConstants.AF_UNIX)
        {
            // Stream and datagram: SOCK_SEQPACKET has no carrier here (design/socketobject.md).
            if (baseType == SocketConstants.SOCK_STREAM) core = SocketCore.CreateUnix(proto);
            else if (baseType != SocketConstants.SOCK_DGRAM) throw PySocketException.OSError(Errno.ESOCKTNOSUPPORT);
            else if (proto != 0 && proto != SocketConstants.AF_UNIX) throw PySocketException.OSError(Errno.EPROTONOSUPPORT);
            else core = DatagramCore.Create(family, proto);
        }
        else if (baseType == SocketConstants.SOCK_STREAM)
        {
            if (proto != 0 && proto != SocketConstants.IPPROTO_TCP)
                throw PySocketException.OSError(Errno.EPROTONOSUPPORT);
            core = SocketCore.Create(family, baseType, proto);
        }
        else if (baseType == SocketConstants.SOCK_DGRAM)
        {
            // UDP-Lite (RFC 3828) is a datagram protocol of the Linux kernel: same socket calls, checksum coverage options.
            if (proto != 0 && proto != SocketConstants.IPPROTO_UDP && proto != SocketConstants.IPPROTO_UDPLITE)
                throw PySocketException.OSError(Errno.EPROTONOSUPPORT);
            core = DatagramCore.Create(family, proto);
        }
        else
        {
            throw PySocketException.OSError(Errno.ESOCKTNOSUPPORT);
        }
        entry = FdRegistry.Register(core.PrimaryFd, core, primary: true);
        SetMode(nonBlocking ? 0.0 : defaultTimeout);
        FollowMode(core);
        this.family = family;
        this.type = baseType;
        this.proto = proto;
    }

    SocketObject(FdEntry entry, int family, int type, int proto)
    {
        this.entry = entry;
        SetMode(defaultTimeout);
        // As CPython's socket(fileno=fd): given values are kept as they are; -1 means "ask the socket".
        this.family = family == -1 ? entry.Core.Family : family;
        this.type = type == -1 ? entry.Core.Type : type & ~(SocketConstants.SOCK_NONBLOCK | SocketConstants.SOCK_CLOEXEC);
        this.proto = proto == -1 ? entry.Core.Proto : proto;
    }

    /// <summary>Closes the descriptor if Python never did (CPython's socket finalizer does the same).</summary>
    ~SocketObject()
    {
        try
        {
            CloseEntry(throwIfClosed: false);
        }
        catch
        {
            // A finalizer must not throw.
        }
    }

    /// <summary><c>socket(fileno=fd)</c>: a socket object for an open descriptor (from accept, dup or detach).</summary>
    public static SocketObject FromFd(int fd) => FromFd(fd, -1, -1, -1);

    /// <summary>
    /// <c>socket(family, type, proto, fileno=fd)</c>: given values are kept (CPython does not check them), -1 asks
    /// the socket. A descriptor that is open but not one of our sockets gives ENOTSOCK, a closed one EBADF.
    /// </summary>
    public static SocketObject FromFd(int fd, int family, int type, int proto)
    {
        if (fd < 0) throw PySocketException.ValueError("negative file descriptor");
        if (!FdRegistry.TryLookup(fd, out FdEntry? e))
        {
            throw PySocketException.OSError(LibC.IsOpen(fd) ? Errno.ENOTSOCK : Errno.EBADF);
        }
        return new SocketObject(e!, family, type, proto);
    }

    /// <summary>
    /// <c>socket.socketpair(family=AF_UNIX, type=SOCK_STREAM, proto=0)</c>: two connected sockets made by the kernel.
    /// The kernel refuses other families (EOPNOTSUPP for AF_INET, as Linux); AF_UNIX pairs other than SOCK_STREAM and
    /// SOCK_DGRAM raise EOPNOTSUPP here. SOCK_NONBLOCK in <paramref name="type"/> makes both non-blocking.
    /// </summary>
    public static SocketObject[] SocketPair(int family = SocketConstants.AF_UNIX, int type = SocketConstants.SOCK_STREAM, int proto = 0)
    {
        if (PySocketRuntime.IsShutDown) throw PySocketException.OSError(Errno.EBADF);
        bool nonBlocking = (type & SocketConstants.SOCK_NONBLOCK) != 0;
        int baseType = type & ~(SocketConstants.SOCK_NONBLOCK | SocketConstants.SOCK_CLOEXEC);
        try
        {
            (IKernelSocket a, IKernelSocket b) = SocketCore.CreatePair(family, baseType, proto);
            var pair = new SocketObject[2];
            int i = 0;
            foreach (IKernelSocket core in new[] { a, b })
            {
                FdEntry e = FdRegistry.Register(core.PrimaryFd, core, primary: true);
                var so = new SocketObject(e, family, baseType, proto);
                so.SetMode(nonBlocking ? 0.0 : defaultTimeout);
                pair[i++] = so;
            }
            return pair;
        }
        catch (Exception ex) when (ex is not PySocketException)
        {
            throw Boundary(ex);
        }
    }

    /// <summary><c>_socket.dup(fd)</c>: a new, non-inheritable descriptor for the same socket (F_DUPFD_CLOEXEC, as CPython).</summary>
    public static int DupFd(int fd)
    {
        FdEntry e = FdRegistry.Lookup(fd);
        int copy = LibC.Fcntl(fd, LibC.F_DUPFD_CLOEXEC, 0);
        if (copy < 0) throw PySocketException.OSError(System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
        e.Core.AddDescriptor();
        FdRegistry.Register(copy, e.Core, primary: false);
        return copy;
    }

    /// <summary><c>_socket.close(fd)</c>: closes a descriptor no socket object owns (or that one does).</summary>
    public static void CloseFd(int fd)
    {
        if (!FdRegistry.TryLookup(fd, out FdEntry? e)) throw PySocketException.OSError(Errno.EBADF);
        CloseDescriptor(e!);
    }

    /// <summary><c>socket.getdefaulttimeout()</c> / <c>setdefaulttimeout()</c>: the timeout new sockets start with.</summary>
    public static double? DefaultTimeout
    {
        get => defaultTimeout;
        set => defaultTimeout = ValidateTimeout(value);
    }

    /// <summary>The address family (AF_INET, AF_INET6 or AF_UNIX), as given at creation.</summary>
    public int Family => family;

    /// <summary>The socket type without SOCK_NONBLOCK/SOCK_CLOEXEC (as CPython 3.7+).</summary>
    public int Type => type;

    /// <summary>The protocol number as given at creation (0 unless a protocol was named).</summary>
    public int Proto => proto;

    /// <summary>The descriptor, or -1 once closed or detached.</summary>
    public int Fileno() => entry?.Fd ?? -1;

    /// <summary>Gives up the descriptor without closing it and returns it (socket becomes closed, fd -1).</summary>
    public int Detach()
    {
        FdEntry? e = Interlocked.Exchange(ref entry, null);
        if (e is null) return -1;
        GC.SuppressFinalize(this);
        return e.Fd;
    }

    /// <summary><c>socket.dup()</c> at the C level: a new socket object on a dup()ed descriptor, default timeout.</summary>
    public SocketObject Dup() => FromFd(DupFd(Fileno() is var fd and >= 0 ? fd : throw SocketCore.BadFd()));

    /// <summary>Closes the descriptor; the socket closes with its last descriptor. Closing twice does nothing.</summary>
    public void Close() => CloseEntry(throwIfClosed: false);

    void CloseEntry(bool throwIfClosed)
    {
        FdEntry? e = Interlocked.Exchange(ref entry, null);
        if (e is null)
        {
            if (throwIfClosed) throw SocketCore.BadFd();
            return;
        }
        GC.SuppressFinalize(this);
        if (e.Closed) throw PySocketException.OSError(Errno.EBADF);
        CloseDescriptor(e);
    }

    static void CloseDescriptor(FdEntry e)
    {
        if (!e.TryClose()) return;
        FdRegistry.Unregister(e);
        if (!e.Primary) LibC.Close(e.Fd);
        e.Core.ReleaseDescriptor();
    }

    /// <summary>The socket behind an open descriptor, or OSError(EBADF).</summary>
    internal IKernelSocket Kernel
    {
        get
        {
            FdEntry? e = entry;
            if (PySocketRuntime.IsShutDown && PySocketRuntime.FreezeBlockedCallersOnShutdown) Thread.Sleep(Timeout.Infinite);
            if (e is null || e.Closed || PySocketRuntime.IsShutDown) throw SocketCore.BadFd();
            return e.Core;
        }
    }

    /// <summary>The stream socket behind an open descriptor; EBADF, or EOPNOTSUPP for a datagram socket (listen, accept, TLS).</summary>
    internal SocketCore Core => Kernel as SocketCore ?? throw PySocketException.OSError(Errno.EOPNOTSUPP);

    /// <summary>The datagram socket behind an open descriptor, or null for a stream socket (EBADF when closed).</summary>
    internal DatagramCore? Datagram => Kernel as DatagramCore;

    // ---- timeouts ----

    /// <summary><c>gettimeout()</c>: None (blocking), 0.0 (non-blocking) or seconds.</summary>
    public double? GetTimeout() => timeout;

    /// <summary><c>settimeout(value)</c>: None blocks, 0 is non-blocking, else seconds (ValueError when negative).</summary>
    public void SetTimeout(double? seconds)
    {
        SetMode(ValidateTimeout(seconds));
        FollowMode(Kernel);
    }

    /// <summary><c>setblocking(flag)</c>: True = settimeout(None), False = settimeout(0.0).</summary>
    public void SetBlocking(bool flag)
    {
        SetMode(flag ? null : 0.0);
        FollowMode(Kernel);
    }

    /// <summary>
    /// CPython stores the timeout, then sets O_NONBLOCK on the descriptor unless the timeout is None (which fails
    /// with EBADF once it is closed: <see cref="Kernel"/> raises it). The flag follows only while nothing of .NET's
    /// acts on the descriptor (<see cref="SocketCore.FollowMode"/>).
    /// </summary>
    void FollowMode(IKernelSocket kernel)
    {
        if (kernel is SocketCore core) core.FollowMode(nonBlocking: timeout is not null);
    }

    /// <summary>The timeout is mirrored on the descriptor for <see cref="DescriptorTimeouts"/>.</summary>
    void SetMode(double? seconds)
    {
        timeout = seconds;
        if (entry is { } e) e.Timeout = seconds;
    }

    /// <summary>
    /// Every open descriptor with the timeout last given to it, flattened (fd, timeout, fd, timeout...): a host that
    /// hands the descriptors to other code, as the interop binding does for a forked child (which cannot run .NET),
    /// reads the Python-level modes here first.
    /// </summary>
    public static object?[] DescriptorTimeouts()
    {
        var pairs = new List<object?>();
        foreach (FdEntry e in FdRegistry.Open())
        {
            pairs.Add(e.Fd);
            pairs.Add(e.Timeout);
        }
        return pairs.ToArray();
    }

    /// <summary><c>getblocking()</c>: False only in non-blocking mode (timeout 0.0).</summary>
    public bool GetBlocking() => timeout != 0.0;

    const double MaxTimeoutSeconds = long.MaxValue / 1e9;

    static double? ValidateTimeout(double? seconds)
    {
        if (seconds is double s)
        {
            if (double.IsNaN(s)) throw PySocketException.ValueError("Invalid value NaN (not a number)");
            // CPython converts to nanoseconds in an int64 first: beyond that (either sign, inf too) is an overflow.
            if (Math.Abs(s) > MaxTimeoutSeconds) throw PySocketException.Overflow("timestamp out of range for platform time_t");
            if (s < 0) throw PySocketException.ValueError("Timeout value out of range");
        }
        return seconds;
    }

    Deadline DeadlineFor(int flags) =>
        (flags & SocketConstants.MSG_DONTWAIT) != 0 ? Deadline.Now : Deadline.FromTimeout(timeout);

    /// <summary>Every exception leaving a public method passes here: hook exceptions unchanged, the rest as Python errors.</summary>
    static Exception Boundary(Exception ex)
    {
        if (ex is WaitInterruptedException w && w.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(w.InnerException);
        }
        return ErrorTable.Translate(ex);
    }

    internal static long ToInt64(object? value, string what)
    {
        return value switch
        {
            int i => i,
            long l => l,
            bool b => b ? 1 : 0,
            short s => s,
            byte b => b,
            uint u => u,
            BigInteger big when big >= long.MinValue && big <= long.MaxValue => (long)big,
            BigInteger => throw PySocketException.Overflow("Python int too large to convert to C int"),
            _ => throw PySocketException.TypeError($"'{SockAddr.PyTypeName(value)}' object cannot be interpreted as an integer"),
        };
    }
}
