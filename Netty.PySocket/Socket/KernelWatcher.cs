using System.Runtime.InteropServices;
using Netty.PySocket.Runtime;

namespace Netty.PySocket.Socket;

/// <summary>
/// Waits, on one thread with its own epoll instance, for what the kernel alone can tell and nothing of ours
/// reports: a non-blocking connect settling (<see cref="SocketCore.OnConnectSettled"/>; connect(2) itself runs on
/// the caller's thread, as in CPython: a connect handed to the event loop reached the kernel after whatever the
/// caller did next, test_sock_lowlevel's connect_racing), and a full send buffer draining when the bytes in it
/// bypassed us (os.sendfile on our descriptor: <see cref="SocketCore.OnKernelWritable"/>). One-shot EPOLLOUT per
/// registration; the thread starts with the first one and is a background thread.
/// </summary>
internal static unsafe class KernelWatcher
{
    const uint EPOLLOUT = 0x004, EPOLLONESHOT = 1u << 30;

    static readonly object Gate = new();
    static readonly Dictionary<int, (SocketCore Core, bool Connect)> Pending = new();
    static int epfd = -1;

    /// <summary>Tells <paramref name="core"/> once its connect settled (the descriptor is writable or failed; one shot).</summary>
    public static void WatchConnect(SocketCore core, int fd) => Watch(core, fd, connect: true);

    /// <summary>Tells <paramref name="core"/> once the kernel has room to send again (one shot).</summary>
    public static void WatchWritable(SocketCore core, int fd) => Watch(core, fd, connect: false);

    static void Watch(SocketCore core, int fd, bool connect)
    {
        lock (Gate)
        {
            if (epfd < 0) Start();
            if (Pending.TryGetValue(fd, out var existing) && existing.Core == core && existing.Connect == connect) return;
            Pending[fd] = (core, connect);
            if (Control(LibC.EPOLL_CTL_ADD, fd) != 0 && Marshal.GetLastPInvokeError() == Errors.Errno.EEXIST)
            {
                Control(LibC.EPOLL_CTL_MOD, fd); // a re-arm after a spurious wake-up
            }
        }
    }

    /// <summary>Forgets a socket before its descriptor closes (the number may be reused at once).</summary>
    public static void Unwatch(SocketCore core, int fd)
    {
        lock (Gate)
        {
            if (epfd < 0 || !Pending.TryGetValue(fd, out var c) || c.Core != core) return;
            Pending.Remove(fd);
            Control(LibC.EPOLL_CTL_DEL, fd);
        }
    }

    /// <summary>Whether <paramref name="core"/> waits here (tests: nothing is left behind).</summary>
    internal static bool IsWatching(SocketCore core)
    {
        lock (Gate) return Pending.Values.Any(p => p.Core == core);
    }

    static int Control(int op, int fd)
    {
        byte* ev = stackalloc byte[16];
        *(uint*)ev = EPOLLOUT | EPOLLONESHOT;
        *(ulong*)(ev + LibC.EpollDataOffset) = (ulong)fd;
        return LibC.EpollCtl(epfd, op, fd, ev);
    }

    static void Start()
    {
        int fd = LibC.EpollCreate1(LibC.EPOLL_CLOEXEC);
        if (fd < 0) throw Errors.PySocketException.OSError(Marshal.GetLastPInvokeError());
        epfd = fd;
        new Thread(Run) { IsBackground = true, Name = "PySocket kernel watcher" }.Start();
    }

    static void Run()
    {
        const int Max = 64;
        int stride = LibC.EpollEventStride;
        byte* events = stackalloc byte[Max * 16];
        var settled = new List<(SocketCore Core, bool Connect)>(Max);
        while (true)
        {
            int n = LibC.EpollWait(epfd, events, Max, -1);
            if (n <= 0) continue; // EINTR
            lock (Gate)
            {
                for (int i = 0; i < n; i++)
                {
                    int fd = (int)*(ulong*)(events + i * stride + LibC.EpollDataOffset);
                    if (!Pending.Remove(fd, out var registration)) continue;
                    Control(LibC.EPOLL_CTL_DEL, fd);
                    settled.Add(registration);
                }
            }
            foreach ((SocketCore core, bool connect) in settled)
            {
                try
                {
                    if (connect) core.OnConnectSettled();
                    else core.OnKernelWritable();
                }
                catch (Exception ex)
                {
                    SocketsLog.KernelWatchFailed(core.PrimaryFd, ex);
                }
            }
            settled.Clear();
        }
    }
}
