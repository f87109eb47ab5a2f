using System.Runtime.InteropServices;

namespace Netty.PySocket.Socket;

/// <summary>
/// The descriptor calls .NET has no API for: dup() (socket.dup), close() of a dup, fcntl(F_GETFD); and the datagram
/// socket calls <see cref="DatagramCore"/> makes itself so that results and errno are exactly the kernel's
/// (System.Net's own state checks would answer differently from Linux: see design/udp.md).
/// </summary>
internal static unsafe partial class LibC
{
    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    internal static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "socketpair", SetLastError = true)]
    internal static partial int SocketPair(int domain, int type, int protocol, [Out] int[] sv);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    internal static partial int Poll(PollFd* fds, nuint nfds, int timeout);

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    internal static partial int EpollCreate1(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    internal static partial int EpollCtl(int epfd, int op, int fd, byte* ev);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    internal static partial int EpollWait(int epfd, byte* events, int maxevents, int timeout);

    internal const int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3, EPOLL_CLOEXEC = 0x80000;

    // struct epoll_event is packed (12 bytes) on x86-64 only; elsewhere the 64-bit data member is aligned.
    internal static readonly int EpollEventStride = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    internal static readonly int EpollDataOffset = EpollEventStride == 12 ? 4 : 8;

    [LibraryImport("libc", EntryPoint = "accept4", SetLastError = true)]
    internal static partial int Accept4(int fd, byte* addr, int* addrlen, int flags);

    internal const int SOCK_CLOEXEC = 0x80000;

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    internal static partial int Bind(int fd, byte* addr, int addrlen);

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    internal static partial int Connect(int fd, byte* addr, int addrlen);

    [LibraryImport("libc", EntryPoint = "getsockname", SetLastError = true)]
    internal static partial int GetSockName(int fd, byte* addr, int* addrlen);

    [LibraryImport("libc", EntryPoint = "getpeername", SetLastError = true)]
    internal static partial int GetPeerName(int fd, byte* addr, int* addrlen);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    internal static partial nint Send(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    internal static partial nint Recv(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
    internal static partial nint SendMsg(int fd, MsgHdr* msg, int flags);

    [LibraryImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    internal static partial nint RecvMsg(int fd, MsgHdr* msg, int flags);

    /// <summary>struct msghdr (LP64 Linux: natural alignment gives the kernel's padding).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct MsgHdr
    {
        /// <summary>One data buffer and an optional control buffer (none when <paramref name="controlLength"/> is 0), no address.</summary>
        public static MsgHdr Of(IoVec* iov, byte* control, int controlLength) => new()
        {
            Iov = iov,
            IovLen = 1,
            Control = controlLength == 0 ? null : control,
            ControlLen = (nuint)controlLength,
        };

        public byte* Name;
        public int NameLen;
        public IoVec* Iov;
        public nuint IovLen;
        public byte* Control;
        public nuint ControlLen;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct IoVec
    {
        public byte* Base;
        public nuint Len;
    }

    [LibraryImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
    internal static partial int GetSockOpt(int fd, int level, int name, byte* value, int* length);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    internal static partial int SetSockOpt(int fd, int level, int name, byte* value, int length);

    [LibraryImport("libc", EntryPoint = "shutdown", SetLastError = true)]
    internal static partial int Shutdown(int fd, int how);

    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    internal const int F_GETFL = 3;
    internal const int F_SETFL = 4;
    internal const int O_NONBLOCK = 0x800;

    /// <summary>Sets or clears O_NONBLOCK (one fcntl to read, one only when it changes); false when fcntl fails.</summary>
    internal static bool SetNonBlocking(int fd, bool nonBlocking)
    {
        int flags = Fcntl(fd, F_GETFL, 0);
        if (flags < 0) return false;
        int wanted = nonBlocking ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
        return wanted == flags || Fcntl(fd, F_SETFL, wanted) >= 0;
    }

    /// <summary>poll(2) of one descriptor without waiting: its revents (0: none of them), or -1 when poll fails.</summary>
    internal static int PollNow(int fd, int events)
    {
        var p = new PollFd { Fd = fd, Events = (short)events };
        int n = Poll(&p, 1, 0);
        return n < 0 ? -1 : n == 0 ? 0 : (ushort)p.Revents;
    }

    [LibraryImport("libc", EntryPoint = "sethostname", SetLastError = true)]
    internal static partial int SetHostName(byte[] name, nuint len);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Fcntl(int fd, int cmd, int arg);

    internal const int F_GETFD = 1;
    /// <summary>fcntl(fd, F_DUPFD_CLOEXEC, 0): a dup that is not inherited by child processes (CPython's _socket.dup).</summary>
    internal const int F_DUPFD_CLOEXEC = 1030;

    /// <summary>Whether <paramref name="fd"/> is an open descriptor of this process.</summary>
    internal static bool IsOpen(int fd) => fd >= 0 && Fcntl(fd, F_GETFD, 0) >= 0;
}
