using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;
using Netty.PySocket.Errors;
using Netty.PySocket.Net;
using Netty.PySocket.Runtime;
using static Netty.PySocket.Select.PollEvents;

namespace Netty.PySocket.Socket;

internal sealed partial class DatagramCore
{
    /// <summary>sockaddr_un is the largest address we receive (sockaddr_in6 is 28 bytes).</summary>
    const int SockAddrCapacity = UnixAddress.Size;
    const int AF_INET6_LINUX = 10;

    /// <summary>
    /// recv/recv_into/recvfrom/recvfrom_into: at most one datagram, truncated to <paramref name="destination"/> (the
    /// rest discarded, by the kernel); <paramref name="flags"/> go to the kernel (MSG_PEEK...). Waits as the
    /// deadline allows. <paramref name="from"/> is the sender's sockaddr (null when the kernel gave none).
    /// </summary>
    internal int Receive(Span<byte> destination, int flags, in Deadline deadline, out byte[]? from) =>
        ReceiveMessage(destination, Span<byte>.Empty, flags, deadline, out from, out _, out _);

    /// <summary>
    /// recvmsg(2): as <see cref="Receive"/>, plus ancillary data into <paramref name="control"/> (the kernel's bytes:
    /// <paramref name="controlLength"/> is the msg_controllen it reports) and the kernel's msg_flags (MSG_TRUNC,
    /// MSG_CTRUNC...).
    /// </summary>
    internal unsafe int ReceiveMessage(Span<byte> destination, Span<byte> control, int flags, in Deadline deadline,
        out byte[]? from, out int controlLength, out int messageFlags)
    {
        int kernelFlags = (flags & ~SocketConstants.MSG_DONTWAIT) | SocketConstants.MSG_DONTWAIT;
        byte* addr = stackalloc byte[SockAddrCapacity];
        SafeHandle h = raw.SafeHandle;
        bool added = false;
        try
        {
            h.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            throw BadFd();
        }
        try
        {
            int fd = (int)h.DangerousGetHandle();
            bool spun = false;
            lock (Sync)
            {
                while (true)
                {
                    if (closed) throw BadFd();
                    if (pendingError is { } pending)
                    {
                        pendingError = null;
                        throw pending;
                    }
                    nint n;
                    LibC.MsgHdr msg;
                    fixed (byte* p = destination)
                    fixed (byte* c = control)
                    {
                        var iov = new LibC.IoVec { Base = p, Len = (nuint)destination.Length };
                        msg = new LibC.MsgHdr
                        {
                            Name = addr,
                            NameLen = SockAddrCapacity,
                            Iov = &iov,
                            IovLen = 1,
                            Control = control.Length == 0 ? null : c,
                            ControlLen = (nuint)control.Length,
                        };
                        n = LibC.RecvMsg(fd, &msg, kernelFlags);
                    }
                    if (n >= 0)
                    {
                        int addrLen = msg.NameLen;
                        from = addrLen == 0 ? null : new ReadOnlySpan<byte>(addr, Math.Min(addrLen, SockAddrCapacity)).ToArray();
                        controlLength = (int)Math.Min(msg.ControlLen, (nuint)control.Length);
                        messageFlags = msg.Flags;
                        RearmForWatchers();
                        return (int)n;
                    }
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Errno.EINTR) continue;
                    if (errno != Errno.EAGAIN) throw PySocketException.OSError(errno);
                    RearmForWatchers();
                    if (deadline.IsNonBlocking)
                    {
                        CheckDrops();
                        throw PySocketException.WouldBlock();
                    }
                    if (!spun)
                    {
                        // As TCP's recv: a reply on loopback usually comes within microseconds; sleeping costs a wake-up.
                        spun = true;
                        if (SpinUntilReadable(fd)) continue;
                    }
                    Arm();
                    waiters++;
                    try
                    {
                        if (!Waiter.Wait(Sync, deadline)) throw PySocketException.Timeout();
                    }
                    finally
                    {
                        waiters--;
                    }
                }
            }
        }
        finally
        {
            if (added) h.DangerousRelease();
        }
    }

    unsafe bool SpinUntilReadable(int fd)
    {
        int micros = SocketCore.ReceiveSpinMicroseconds;
        if (micros <= 0 || Environment.ProcessorCount < 2) return false;
        long until = System.Diagnostics.Stopwatch.GetTimestamp() + micros * System.Diagnostics.Stopwatch.Frequency / 1_000_000;
        var spin = new SpinWait();
        while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
        {
            spin.SpinOnce(-1);
            var p = new LibC.PollFd { Fd = fd, Events = (short)POLLIN };
            if (LibC.Poll(&p, 1, 0) > 0) return true;
        }
        return false;
    }

    /// <summary>
    /// send/sendto: one datagram, all or nothing, to the sockaddr <paramref name="to"/> or (null) the connected peer. Errors are
    /// the kernel's, synchronously (EDESTADDRREQ, EMSGSIZE, EACCES without SO_BROADCAST, ECONNREFUSED after an ICMP
    /// error on a connected socket, EPIPE after SHUT_WR). Waits for room only when the send buffer is full.
    /// </summary>
    internal int Send(ReadOnlySpan<byte> data, int flags, byte[]? to, in Deadline deadline) =>
        SendMessage(data, ReadOnlySpan<byte>.Empty, flags, to, deadline);

    /// <summary>sendmsg(2): as <see cref="Send"/>, with a control buffer (<see cref="ControlMessage.Encode"/>); its errors are the kernel's (EINVAL...).</summary>
    internal unsafe int SendMessage(ReadOnlySpan<byte> data, ReadOnlySpan<byte> control, int flags, byte[]? to, in Deadline deadline)
    {
        int kernelFlags = (flags & ~SocketConstants.MSG_DONTWAIT) | SocketConstants.MSG_DONTWAIT | SocketConstants.MSG_NOSIGNAL;
        ReadOnlySpan<byte> addr = to;
        int addrLen = addr.Length;
        lock (Sync)
        {
            if (closed) throw BadFd();
            if (pendingError is { } pending)
            {
                pendingError = null;
                throw pending;
            }
        }
        SafeHandle h = raw.SafeHandle;
        bool added = false;
        try
        {
            h.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            throw BadFd();
        }
        try
        {
            int fd = (int)h.DangerousGetHandle();
            while (true)
            {
                nint n;
                fixed (byte* p = data)
                fixed (byte* a = addr)
                fixed (byte* c = control)
                {
                    var iov = new LibC.IoVec { Base = p, Len = (nuint)data.Length };
                    var msg = new LibC.MsgHdr
                    {
                        Name = addrLen == 0 ? null : a,
                        NameLen = addrLen,
                        Iov = &iov,
                        IovLen = 1,
                        Control = control.Length == 0 ? null : c,
                        ControlLen = (nuint)control.Length,
                    };
                    n = LibC.SendMsg(fd, &msg, kernelFlags);
                }
                if (n >= 0) return (int)n;
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Errno.EINTR) continue;
                if (errno != Errno.EAGAIN) throw PySocketException.OSError(errno);
                if (deadline.IsNonBlocking) throw PySocketException.OSError(errno);
                WaitWritable(fd, deadline);
            }
        }
        finally
        {
            if (added) h.DangerousRelease();
        }
    }

    /// <summary>
    /// The send buffer is full (rare for UDP): poll(2) for POLLOUT in slices of the blocking-wait slice, running the
    /// host's signal hook between slices, as <see cref="Waiter.Wait"/> does. Close wakes it at the next slice.
    /// </summary>
    unsafe void WaitWritable(int fd, in Deadline deadline)
    {
        int slice = (int)PySocketRuntime.BlockingWaitSlice.TotalMilliseconds;
        while (true)
        {
            int ms = deadline.RemainingMilliseconds(slice);
            if (ms == 0) throw PySocketException.Timeout();
            var p = new LibC.PollFd { Fd = fd, Events = (short)POLLOUT };
            if (LibC.Poll(&p, 1, ms) > 0) return;
            lock (Sync)
            {
                if (closed) throw BadFd();
            }
            Action? hook = PySocketRuntime.BlockingWaitHook;
            if (hook is not null)
            {
                try
                {
                    hook();
                }
                catch (Exception ex)
                {
                    throw new WaitInterruptedException(ex);
                }
            }
        }
    }

    /// <summary>An IP endpoint as the kernel's sockaddr_in/sockaddr_in6 bytes.</summary>
    internal static byte[] ToSockAddr(IPEndPoint ep)
    {
        SocketAddress sa = ep.Serialize();
        return sa.Buffer.Span[..sa.Size].ToArray();
    }

    /// <summary>A kernel sockaddr (AF_INET or AF_INET6) as an endpoint; null when empty or of another family.</summary>
    internal static IPEndPoint? ToEndPoint(ReadOnlySpan<byte> sa)
    {
        if (sa.Length < 2) return null;
        int family = BinaryPrimitives.ReadUInt16LittleEndian(sa);
        if (family == SocketConstants.AF_INET && sa.Length >= 8)
        {
            return new IPEndPoint(new IPAddress(sa.Slice(4, 4)), BinaryPrimitives.ReadUInt16BigEndian(sa[2..]));
        }
        if (family == AF_INET6_LINUX && sa.Length >= 28)
        {
            uint scope = BinaryPrimitives.ReadUInt32LittleEndian(sa[24..]);
            return new IPEndPoint(new IPAddress(sa.Slice(8, 16), scope), BinaryPrimitives.ReadUInt16BigEndian(sa[2..]));
        }
        return null;
    }
}
