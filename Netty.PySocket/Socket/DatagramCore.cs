using System.Net.Sockets;
using System.Runtime.InteropServices;
using Netty.PySocket.Errors;
using Netty.PySocket.Net;
using Netty.PySocket.Runtime;
using Netty.PySocket.Select;
using static Netty.PySocket.Select.PollEvents;

namespace Netty.PySocket.Socket;

/// <summary>
/// A SOCK_DGRAM socket (UDP over AF_INET/AF_INET6, or AF_UNIX datagrams). Unlike <see cref="SocketCore"/> there is no DotNetty channel and
/// no user-space queue: the kernel's receive queue <i>is</i> the datagram queue (bounded by SO_RCVBUF, datagram
/// boundaries, truncation, zero-length datagrams, MSG_PEEK, connected-peer filtering and ICMP errors all exactly
/// Linux's), and every call is the non-blocking system call CPython would make, on the caller's thread. What .NET
/// adds is waiting: a blocked caller sleeps on <see cref="Sync"/> through <see cref="Waiter.Wait"/> (host signal hook,
/// deadline) and is woken by a zero-byte MSG_PEEK receive kept pending on the socket engine (it completes when a
/// datagram or an error is queued, without consuming it), which also drives select/poll/epoll watchers.
/// See design/udp.md. Split by concern: <c>.Io</c> (send/recv), <c>.Options</c> (bind, connect, names, options,
/// shutdown).
/// </summary>
internal sealed partial class DatagramCore : IKernelSocket
{
    internal readonly object Sync = new();
    readonly System.Net.Sockets.Socket raw;
    bool closed;
    int openDescriptors = 1;
    /// <summary>An error the pending peek took from the kernel (sk_err: ICMP unreachable...), for the next recv/send.</summary>
    PySocketException? pendingError;
    /// <summary>A zero-byte peek receive is pending on the socket engine.</summary>
    bool armed;
    /// <summary>Callers blocked in <see cref="Waiter.Wait"/> on this socket.</summary>
    int waiters;

    DatagramCore(int family, int proto, System.Net.Sockets.Socket raw)
    {
        Family = family;
        Proto = proto;
        this.raw = raw;
        PrimaryFd = (int)raw.Handle;
    }

    public int Family { get; }
    public int Type => SocketConstants.SOCK_DGRAM;
    public int Proto { get; }
    public int PrimaryFd { get; }

    /// <summary>socket(family, SOCK_DGRAM, proto): a UDP socket with Linux's defaults, or an AF_UNIX datagram socket.</summary>
    public static DatagramCore Create(int family, int proto)
    {
        AddressFamily af = family switch
        {
            SocketConstants.AF_INET6 => AddressFamily.InterNetworkV6,
            SocketConstants.AF_UNIX => AddressFamily.Unix,
            _ => AddressFamily.InterNetwork,
        };
        System.Net.Sockets.Socket raw;
        try
        {
            raw = proto == SocketConstants.IPPROTO_UDPLITE ? OpenUdpLite(family)
                : af == AddressFamily.Unix ? new System.Net.Sockets.Socket(af, SocketType.Dgram, ProtocolType.Unspecified)
                : new System.Net.Sockets.Socket(af, SocketType.Dgram, ProtocolType.Udp);
            // Our calls are non-blocking system calls; waiting is ours (Deadline/Waiter).
            raw.Blocking = false;
            // .NET creates IPv6 sockets with IPV6_V6ONLY=1; Linux's (and so CPython's) default is 0.
            if (af == AddressFamily.InterNetworkV6) raw.DualMode = true;
        }
        catch (Exception ex)
        {
            throw ErrorTable.Translate(ex);
        }
        var core = new DatagramCore(family, proto, raw);
        PySocketRuntime.OpenSockets[core] = 0;
        return core;
    }

    /// <summary>A datagram socket on a descriptor the kernel made (socketpair); <paramref name="raw"/> has adopted it.</summary>
    internal static DatagramCore Adopt(int family, int proto, System.Net.Sockets.Socket raw)
    {
        try
        {
            raw.Blocking = false;
        }
        catch (Exception ex)
        {
            raw.Dispose();
            throw ErrorTable.Translate(ex);
        }
        var core = new DatagramCore(family, proto, raw);
        PySocketRuntime.OpenSockets[core] = 0;
        return core;
    }

    /// <summary>.NET's Socket constructor knows no UDP-Lite: open it with socket(2) and let .NET adopt the descriptor.</summary>
    static System.Net.Sockets.Socket OpenUdpLite(int family)
    {
        int fd = LibC.Socket(family, SocketConstants.SOCK_DGRAM | SocketConstants.SOCK_CLOEXEC, SocketConstants.IPPROTO_UDPLITE);
        if (fd < 0) throw PySocketException.OSError(Marshal.GetLastPInvokeError());
        return new System.Net.Sockets.Socket(new SafeSocketHandle(fd, ownsHandle: true));
    }

    internal static PySocketException BadFd() => PySocketException.OSError(Errno.EBADF);

    public void AddDescriptor()
    {
        lock (Sync)
        {
            openDescriptors++;
        }
    }

    public void ReleaseDescriptor()
    {
        lock (Sync)
        {
            if (--openDescriptors > 0) return;
        }
        Close();
    }

    /// <summary>Closes the socket; blocked callers wake with EBADF; the descriptor is released before this returns.</summary>
    internal void Close()
    {
        lock (Sync)
        {
            if (closed) return;
            closed = true;
            Monitor.PulseAll(Sync);
        }
        PySocketRuntime.OpenSockets.TryRemove(this, out _);
        NotifyReadiness();
        raw.Dispose();
        // A pending peek holds the handle until the engine lets go of it (on its own thread); close(2) semantics
        // need the number released when we return (see SocketCore.WaitDescriptorReleased). Bounded.
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var spin = new SpinWait();
        while (LibC.IsOpen(PrimaryFd) && sw.ElapsedMilliseconds < 100)
        {
            spin.SpinOnce();
        }
    }

    public Task Abort()
    {
        Close();
        return Task.CompletedTask;
    }

    // ---- the descriptor, for system calls ----

    /// <summary>Runs a system call on the descriptor, holding a reference so a concurrent close cannot reuse the number.</summary>
    T WithFd<T>(Func<int, T> call)
    {
        SafeHandle h = raw.SafeHandle;
        bool added = false;
        try
        {
            h.DangerousAddRef(ref added);
            return call((int)h.DangerousGetHandle());
        }
        catch (ObjectDisposedException)
        {
            throw BadFd();
        }
        finally
        {
            if (added) h.DangerousRelease();
        }
    }

    static PySocketException LastError() =>
        PySocketException.OSError(System.Runtime.InteropServices.Marshal.GetLastPInvokeError());

    // ---- waking: the pending zero-byte peek ----

    /// <summary>
    /// Keeps a zero-byte MSG_PEEK receive pending (if none is): it completes when a datagram or an error is queued,
    /// without consuming the datagram. Called by callers about to wait, after a receive (when watchers exist), and
    /// when a watcher is added. Its completion never re-arms by itself, so a datagram nobody reads costs one
    /// completion, not a busy loop.
    /// </summary>
    void Arm()
    {
        lock (Sync)
        {
            if (armed || closed) return;
            armed = true;
        }
        Task<int> peek;
        try
        {
            peek = raw.ReceiveAsync(Memory<byte>.Empty, SocketFlags.Peek).AsTask();
        }
        catch (Exception ex)
        {
            OnKernelEvent(Task.FromException<int>(ex));
            return;
        }
        peek.ContinueWith(
            static (t, s) => ((DatagramCore)s!).OnKernelEvent(t),
            this,
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default);
    }

    void OnKernelEvent(Task<int> peek)
    {
        // Read first, closed or not: a peek cancelled by close() is otherwise an unobserved task exception.
        AggregateException? failure = peek.Exception;
        lock (Sync)
        {
            armed = false;
            if (closed) return;
            if (failure?.InnerException is SocketException se
                && se.SocketErrorCode is not (SocketError.OperationAborted or SocketError.WouldBlock or SocketError.Interrupted))
            {
                // The peek's recvmsg took the socket's pending error (sk_err, e.g. ICMP port unreachable on a
                // connected socket): keep it for the next recv/send, as the kernel would have.
                pendingError ??= ErrorTable.Translate(se);
            }
            Monitor.PulseAll(Sync);
        }
        CheckDrops();
        NotifyReadiness();
        lock (Sync)
        {
            // A failed peek re-arms only for waiters (an unbindable/broken socket would otherwise loop here).
            if (waiters == 0 && (failure is not null || Volatile.Read(ref watchers).Length == 0)) return;
        }
        // Somebody still waits or watches and the queue is empty: the datagram that completed this peek was read
        // before we ran (a recv's re-arm found the peek still armed), so nothing else would re-arm and the next
        // datagram would wake no poll/select (a socketserver UDP server went deaf after ~1,400 requests).
        if ((KernelPoll(POLLIN) & POLLIN) == 0) Arm();
    }

    // ---- readiness (IPollable): the kernel's own poll answer ----

    readonly object watcherGate = new();
    IReadinessWatcher[] watchers = [];

    /// <summary>Watchers registered now (tests: nothing is left behind).</summary>
    internal int WatcherCount => Volatile.Read(ref watchers).Length;

    /// <summary>poll(2) on our descriptor with timeout 0: exactly what Linux's udp_poll answers.</summary>
    int KernelPoll(int events)
    {
        try
        {
            return WithFd(fd =>
            {
                unsafe
                {
                    var p = new LibC.PollFd { Fd = fd, Events = (short)events };
                    return LibC.Poll(&p, 1, 0) > 0 ? p.Revents & 0xffff : 0;
                }
            });
        }
        catch (PySocketException)
        {
            return POLLNVAL;
        }
    }

    /// <summary>Linux's datagram_poll answer (asked from the kernel), plus ERR for an error our peek took from it.</summary>
    public int PollMask(int interest = ~0)
    {
        lock (Sync)
        {
            if (closed) return POLLNVAL;
            if (pendingError is not null) return KernelPoll(AllEvents) | POLLERR;
        }
        return KernelPoll(AllEvents);
    }

    const int AllEvents = POLLIN | POLLPRI | POLLOUT | POLLRDNORM | POLLWRNORM | POLLRDHUP;

    /// <summary>PollMask asks the kernel itself: never behind it.</summary>
    public bool CatchUpWithKernel() => false;

    /// <inheritdoc />
    public bool PullFromKernelNow() => false; // readiness is poll(2)'s already

    public void AddWatcher(IReadinessWatcher watcher)
    {
        lock (watcherGate)
        {
            IReadinessWatcher[] old = watchers;
            var next = new IReadinessWatcher[old.Length + 1];
            old.CopyTo(next, 0);
            next[old.Length] = watcher;
            Volatile.Write(ref watchers, next);
        }
        Arm();
    }

    public void RemoveWatcher(IReadinessWatcher watcher)
    {
        lock (watcherGate)
        {
            IReadinessWatcher[] old = watchers;
            int i = Array.IndexOf(old, watcher);
            if (i < 0) return;
            var next = new IReadinessWatcher[old.Length - 1];
            Array.Copy(old, 0, next, 0, i);
            Array.Copy(old, i + 1, next, i, old.Length - i - 1);
            Volatile.Write(ref watchers, next);
        }
    }

    void NotifyReadiness()
    {
        foreach (IReadinessWatcher w in Volatile.Read(ref watchers))
        {
            w.ReadinessChanged(this);
        }
    }

    /// <summary>After a receive changed the queue: watchers need the next datagram's wake-up.</summary>
    void RearmForWatchers()
    {
        if (Volatile.Read(ref watchers).Length > 0) Arm();
    }

    // ---- drops: the kernel's bounded queue ----

    uint lastDrops;

    /// <summary>Datagrams the kernel dropped because the receive queue (SO_RCVBUF) was full (SO_MEMINFO drops).</summary>
    internal uint KernelDrops
    {
        get
        {
            Span<byte> info = stackalloc byte[9 * 4];
            try
            {
                int n = raw.GetRawSocketOption(SocketConstants.SOL_SOCKET, SO_MEMINFO, info);
                return n >= 9 * 4 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(info[(8 * 4)..]) : 0;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return 0;
            }
        }
    }

    const int SO_MEMINFO = 55;

    /// <summary>Logs (debug) how many datagrams the kernel dropped since the last look.</summary>
    void CheckDrops()
    {
        if (!SocketsLog.DebugEnabled) return;
        uint drops = KernelDrops;
        uint seen = lastDrops;
        if (drops != seen && Interlocked.CompareExchange(ref lastDrops, drops, seen) == seen)
        {
            SocketsLog.DatagramsDropped(PrimaryFd, drops - seen, drops);
        }
    }
}
