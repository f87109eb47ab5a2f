using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;
using Netty.PySocket.Errors;
using Netty.PySocket.Net;

namespace Netty.PySocket.Socket;

internal sealed unsafe partial class DatagramCore
{
    /// <summary>bind(2), now: port 0 gives the kernel's port; EADDRINUSE, EINVAL (already bound) as Linux.</summary>
    internal void Bind(byte[] local) => AddressCall(local, static (fd, a, len) => LibC.Bind(fd, a, len));

    /// <summary>
    /// connect(2): sets the default peer and makes the kernel filter datagrams from others; auto-binds; may be
    /// called again to re-target. Returns 0 or the errno (connect_ex).
    /// </summary>
    internal int Connect(byte[] remote, bool raise)
    {
        try
        {
            AddressCall(remote, static (fd, a, len) => LibC.Connect(fd, a, len));
            RearmForWatchers();
            return 0;
        }
        catch (PySocketException ex) when (!raise && ex.Errno is int errno && ex.Kind != PyErrorKind.TypeError)
        {
            return errno;
        }
    }

    unsafe delegate int AddressSyscall(int fd, byte* addr, int len);

    unsafe void AddressCall(byte[] bytes, AddressSyscall call)
    {
        lock (Sync)
        {
            if (closed) throw BadFd();
        }
        int rc = WithFd(fd =>
        {
            fixed (byte* p = bytes)
            {
                return call(fd, p, bytes.Length);
            }
        });
        if (rc < 0) throw LastError();
    }

    /// <summary>shutdown(2): the kernel's answer (ENOTCONN when unconnected, though the flags are set, as Linux).</summary>
    internal void Shutdown(int how)
    {
        if (how is < 0 or > 2) throw PySocketException.OSError(Errno.EINVAL);
        lock (Sync)
        {
            if (closed) throw BadFd();
        }
        int rc = WithFd(fd => LibC.Shutdown(fd, how));
        if (rc < 0) throw LastError();
        lock (Sync)
        {
            Monitor.PulseAll(Sync);
        }
        NotifyReadiness();
    }

    /// <summary>getsockname(2)/getpeername(2) as sockaddr bytes: the wildcard and port 0 before an IP socket is bound (as Linux); ENOTCONN unless connected.</summary>
    internal unsafe byte[] Name(bool peer)
    {
        lock (Sync)
        {
            if (closed) throw BadFd();
        }
        byte[] buffer = new byte[SockAddrCapacity];
        int len = SockAddrCapacity;
        int rc = WithFd(fd =>
        {
            fixed (byte* p = buffer)
            {
                int l = len;
                int r = peer ? LibC.GetPeerName(fd, p, &l) : LibC.GetSockName(fd, p, &l);
                len = l;
                return r;
            }
        });
        if (rc < 0) throw LastError();
        return buffer[..Math.Min(len, SockAddrCapacity)];
    }

    /// <summary>getsockopt, straight to the kernel (SO_TYPE is SOCK_DGRAM, SO_ERROR includes an error our peek took).</summary>
    internal object GetOption(int level, int name, int buflen)
    {
        lock (Sync)
        {
            if (closed) throw BadFd();
            if (level == SocketConstants.SOL_SOCKET && name == SocketConstants.SO_ERROR && buflen == 0 && pendingError is { } pending)
            {
                pendingError = null;
                return pending.Errno ?? 0;
            }
        }
        return KernelOptions.Get(raw, level, name, buflen);
    }

    /// <summary>
    /// setsockopt, straight to the kernel as CPython does: SO_BROADCAST, SO_REUSEADDR, SO_RCVBUF/SO_SNDBUF, IP_TTL,
    /// IP_MULTICAST_TTL/LOOP, IP_ADD/DROP_MEMBERSHIP (struct ip_mreq bytes), IPV6_JOIN_GROUP...
    /// </summary>
    internal void SetOption(int level, int name, ReadOnlySpan<byte> value)
    {
        lock (Sync)
        {
            if (closed) throw BadFd();
        }
        KernelOptions.Set(raw, level, name, value);
    }
}
