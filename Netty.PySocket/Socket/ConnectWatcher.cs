using System.Runtime.InteropServices;
using Netty.PySocket.Runtime;

namespace Netty.PySocket.Socket;

/// <summary>
/// Waits for the non-blocking connects in progress, all on one thread with its own epoll instance, and tells each
/// socket when the kernel settled its attempt (<see cref="SocketCore.OnConnectSettled"/>). connect(2) itself runs on
/// the caller's thread, as in CPython: a connect handed to the event loop instead reached the kernel later, after
/// whatever the caller did next (test_sock_lowlevel's connect_racing: the listener's listen()). One thread serves
/// any number of pending connects; it starts with the first one and is a background thread.
/// </summary>
internal static unsafe class ConnectWatcher
{
    const uint EPOLLOUT = 0x004, EPOLLONESHOT = 1u << 30;

    static readonly object Gate = new();
    static readonly Dictionary<int, SocketCore> Pending = new();
    static int epfd = -1;

    /// <summary>Tells <paramref name="core"/> once its descriptor is writable or failed (one shot).</summary>
    public static void Watch(SocketCore core, int fd)
    {
        lock (Gate)
        {
            if (epfd < 0) Start();
            Pending[fd] = core;
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
            if (epfd < 0 || !Pending.TryGetValue(fd, out SocketCore? c) || c != core) return;
            Pending.Remove(fd);
            Control(LibC.EPOLL_CTL_DEL, fd);
        }
    }

    /// <summary>Whether <paramref name="core"/> waits here (tests: nothing is left behind).</summary>
    internal static bool IsWatching(SocketCore core)
    {
        lock (Gate) return Pending.ContainsValue(core);
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
        new Thread(Run) { IsBackground = true, Name = "PySocket connect watcher" }.Start();
    }

    static void Run()
    {
        const int Max = 64;
        int stride = LibC.EpollEventStride;
        byte* events = stackalloc byte[Max * 16];
        var settled = new List<SocketCore>(Max);
        while (true)
        {
            int n = LibC.EpollWait(epfd, events, Max, -1);
            if (n <= 0) continue; // EINTR
            lock (Gate)
            {
                for (int i = 0; i < n; i++)
                {
                    int fd = (int)*(ulong*)(events + i * stride + LibC.EpollDataOffset);
                    if (!Pending.Remove(fd, out SocketCore? core)) continue;
                    Control(LibC.EPOLL_CTL_DEL, fd);
                    settled.Add(core);
                }
            }
            foreach (SocketCore core in settled)
            {
                try
                {
                    core.OnConnectSettled();
                }
                catch (Exception ex)
                {
                    SocketsLog.ConnectWatchFailed(core.PrimaryFd, ex);
                }
            }
            settled.Clear();
        }
    }
}
