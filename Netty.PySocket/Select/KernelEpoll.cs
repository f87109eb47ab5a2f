using System.Runtime.InteropServices;
using Netty.PySocket.Errors;
using Netty.PySocket.Socket;

namespace Netty.PySocket.Select;

/// <summary>
/// epoll's view of descriptors that are not our sockets: they are registered in the object's real epoll descriptor,
/// so the kernel decides what may be registered (EPERM for a regular file, EBADF, EEXIST, ENOENT) and reports their
/// readiness with its own EPOLLET/EPOLLONESHOT handling; each call reads it with epoll_wait(timeout 0).
/// </summary>
internal sealed unsafe class KernelEpoll : IKernelReadiness
{
    const int EPOLL_CTL_ADD = LibC.EPOLL_CTL_ADD, EPOLL_CTL_DEL = LibC.EPOLL_CTL_DEL, EPOLL_CTL_MOD = LibC.EPOLL_CTL_MOD;
    static readonly int Stride = LibC.EpollEventStride;
    static readonly int DataOffset = LibC.EpollDataOffset;

    readonly Func<int> epfd;

    public KernelEpoll(Func<int> epfd) => this.epfd = epfd;

    public void Add(int fd, uint events) => Control(EPOLL_CTL_ADD, fd, events);

    public void Modify(int fd, uint events) => Control(EPOLL_CTL_MOD, fd, events);

    public void Remove(int fd) => Control(EPOLL_CTL_DEL, fd, 0);

    void Control(int op, int fd, uint events)
    {
        byte* ev = stackalloc byte[16];
        *(uint*)ev = events;
        *(ulong*)(ev + DataOffset) = (ulong)fd;
        if (LibC.EpollCtl(epfd(), op, fd, ev) < 0) throw PySocketException.OSError(Marshal.GetLastPInvokeError());
    }

    public void Collect(IReadOnlyList<ReadinessSet.Registration> registered, List<(ReadinessSet.Registration R, int Events)> hits, int max)
    {
        int room = Math.Min(max - hits.Count, registered.Count);
        int ep = epfd();
        if (room <= 0 || ep < 0) return;
        byte[] buffer = new byte[room * Stride];
        int n;
        fixed (byte* b = buffer)
        {
            n = LibC.EpollWait(ep, b, room, 0);
            if (n <= 0) return;
            Dictionary<int, ReadinessSet.Registration> byFd = new(registered.Count);
            foreach (ReadinessSet.Registration r in registered)
            {
                byFd[r.Fd] = r;
            }
            for (int i = 0; i < n; i++)
            {
                uint events = *(uint*)(b + i * Stride);
                int fd = (int)*(ulong*)(b + i * Stride + DataOffset);
                if (byFd.TryGetValue(fd, out ReadinessSet.Registration? r)) hits.Add((r, unchecked((int)events)));
            }
        }
    }
}
