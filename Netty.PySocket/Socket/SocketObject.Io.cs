using System.Buffers.Binary;
using System.Net;
using Netty.PySocket.Errors;
using Netty.PySocket.Net;

namespace Netty.PySocket.Socket;

public sealed partial class SocketObject
{
    const int RecvFlags = SocketConstants.MSG_PEEK | SocketConstants.MSG_DONTWAIT | SocketConstants.MSG_WAITALL | SocketConstants.MSG_NOSIGNAL;
    const int SendFlags = SocketConstants.MSG_DONTWAIT | SocketConstants.MSG_NOSIGNAL | SocketConstants.MSG_MORE | SocketConstants.MSG_EOR;

    /// <summary><c>bind(address)</c>: binds for real, now (EADDRINUSE here, not later).</summary>
    public void Bind(object? address)
    {
        try
        {
            IKernelSocket kernel = Kernel;
            if (kernel is DatagramCore d) d.Bind(KernelAddress(kernel.Family, address, "bind"));
            else if (kernel.Family == SocketConstants.AF_UNIX) ((SocketCore)kernel).BindUnix(UnixAddress.Parse(address));
            else ((SocketCore)kernel).Bind(SockAddr.Parse(kernel.Family, address, "bind"));
        }
        catch (Exception ex) when (ex is not PySocketException)
        {
            throw Boundary(ex);
        }
    }

    /// <summary><c>listen([backlog])</c>; CPython's default backlog is min(SOMAXCONN, 128).</summary>
    public void Listen(int backlog = 128)
    {
        try
        {
            Core.Listen(backlog);
            FollowMode(Kernel); // the channel made the descriptor non-blocking; callers own the accepts for now
        }
        catch (Exception ex) when (ex is not PySocketException)
        {
            throw Boundary(ex);
        }
    }

    /// <summary><c>_accept()</c>: waits for a connection as the timeout allows; returns its descriptor and address.</summary>
    public AcceptedSocket Accept()
    {
        try
        {
            SocketCore core = Core;
            SocketCore child = core.Accept(DeadlineFor(0));
            FdRegistry.Register(child.PrimaryFd, child, primary: true);
            return new AcceptedSocket(child.PrimaryFd, Name(child, peer: true));
        }
        catch (Exception ex) when (ex is not PySocketException)
        {
            throw Boundary(ex);
        }
    }

    /// <summary><c>accept()</c> as socket.py builds it: a socket object for the new connection, and its address.</summary>
    public SocketObject AcceptSocket(out object address)
    {
        AcceptedSocket a = Accept();
        address = a.Address;
        return FromFd(a.Fd);
    }

    /// <summary><c>connect(address)</c>: raises on failure; EINPROGRESS (BlockingIOError) in non-blocking mode.</summary>
    public void Connect(object? address) => ConnectCore(address, raise: true, "connect");

    /// <summary><c>connect_ex(address)</c>: returns 0 or the errno instead of raising OSError.</summary>
    public int ConnectEx(object? address) => ConnectCore(address, raise: false, "connect_ex");

    int ConnectCore(object? address, bool raise, string caller)
    {
        try
        {
            IKernelSocket kernel = Kernel;
            if (kernel is DatagramCore d) return d.Connect(KernelAddress(kernel.Family, address, caller), raise);
            if (kernel.Family == SocketConstants.AF_UNIX)
                return ((SocketCore)kernel).ConnectUnix(UnixAddress.Parse(address), DeadlineFor(0), raise);
            return ((SocketCore)kernel).Connect(SockAddr.Parse(kernel.Family, address, caller), DeadlineFor(0), raise);
        }
        catch (Exception ex) when (ex is not PySocketException)
        {
            throw Boundary(ex);
        }
    }

    /// <summary><c>send(data[, flags])</c>: the number of bytes taken, which may be fewer than given.</summary>
    public int Send(ReadOnlySpan<byte> data, int flags = 0)
    {
        try
        {
            if (Datagram is { } d)
            {
                CheckFlags(flags, SendFlags);
                return d.Send(data, flags, null, DeadlineFor(flags));
            }
            CheckFlags(flags, SendFlags | SocketConstants.MSG_OOB);
            if ((flags & SocketConstants.MSG_OOB) != 0) return Core.SendUrgent(data, DeadlineFor(flags), all: false);
            return Core.Send(data, DeadlineFor(flags));
        }
        catch (Exception ex) when (ex is not PySocketException)
        {
            throw Boundary(ex);
        }
    }

    /// <summary><c>send</c> for callers holding an array (no Span across their interop).</summary>
    public int Send(byte[] data, int offset, int count, int flags) => Send(new ReadOnlySpan<byte>(data, offset, count), flags);

    /// <summary><c>sendall(data[, flags])</c>: everything or an exception; the timeout covers the whole call.</summary>
    public void SendAll(ReadOnlySpan<byte> data, int flags = 0)
    {
        try
        {
            if (Datagram is { } d)
            {
                CheckFlags(flags, SendFlags);
                // One datagram is all or nothing: sendall is send (CPython loops, and a datagram send never splits).
                d.Send(data, flags, null, DeadlineFor(flags));
                return;
            }
            CheckFlags(flags, SendFlags | SocketConstants.MSG_OOB);
            if ((flags & SocketConstants.MSG_OOB) != 0)
            {
                Core.SendUrgent(data, DeadlineFor(flags), all: true);
                return;
            }
            Core.SendAll(data, DeadlineFor(flags));
        }
        catch (Exception ex) when (ex is not PySocketException)
        {
            throw Boundary(ex);
        }
    }

    /// <summary><c>sendall</c> for callers holding an array.</summary>
    public void SendAll(byte[] data, int offset, int count, int flags) => SendAll(new ReadOnlySpan<byte>(data, offset, count), flags);

    /// <summary><c>recv(bufsize[, flags])</c>: up to bufsize bytes; empty at EOF.</summary>
    public byte[] Recv(int bufsize, int flags = 0)
    {
        try
        {
            if (bufsize < 0) throw PySocketException.ValueError("negative buffersize in recv");
            CheckFlags(flags, RecvFlags);
            if (Datagram is { } d) return DatagramReceive(d, bufsize, flags, out _);
            SocketCore core = Core;
            if ((flags & SocketConstants.MSG_WAITALL) != 0 && (flags & SocketConstants.MSG_PEEK) == 0)
            {
                byte[] all = new byte[bufsize];
                int got = ReceiveAll(core, all, flags);
                return got == bufsize ? all : all[..got];
            }
            return core.Receive(bufsize, (flags & SocketConstants.MSG_PEEK) != 0, DeadlineFor(flags));
        }
        catch (Exception ex) when (ex is not PySocketException)
        {
            throw Boundary(ex);
        }
    }

    /// <summary><c>recv_into(buffer[, nbytes[, flags]])</c>: bytes written into buffer.</summary>
    public int RecvInto(Span<byte> buffer, int nbytes = 0, int flags = 0)
    {
        try
        {
            if (nbytes < 0) throw PySocketException.ValueError("negative buffersize in recv_into");
            if (nbytes > buffer.Length) throw PySocketException.ValueError("buffer too small for requested bytes");
            if (nbytes == 0) nbytes = buffer.Length;
            CheckFlags(flags, RecvFlags);
            if (Datagram is { } d) return d.Receive(buffer[..nbytes], flags, DeadlineFor(flags), out _);
            SocketCore core = Core;
            Span<byte> target = buffer[..nbytes];
            if ((flags & SocketConstants.MSG_WAITALL) != 0 && (flags & SocketConstants.MSG_PEEK) == 0)
            {
                return ReceiveAll(core, target, flags);
            }
            return core.Receive(target, (flags & SocketConstants.MSG_PEEK) != 0, DeadlineFor(flags));
        }
        catch (Exception ex) when (ex is not PySocketException)
        {
            throw Boundary(ex);
        }
    }

    /// <summary><c>recv_into</c> for callers holding an array.</summary>
    public int RecvInto(byte[] buffer, int offset, int count, int flags) => RecvInto(new Span<byte>(buffer, offset, count), 0, flags);

    int ReceiveAll(SocketCore core, Span<byte> target, int flags)
    {
        // MSG_WAITALL: keep reading until full, EOF or error; the timeout covers the whole call.
        Deadline deadline = DeadlineFor(flags);
        int total = 0;
        while (total < target.Length)
        {
            int n = core.Receive(target[total..], peek: false, deadline);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    static void CheckFlags(int flags, int supported)
    {
        if ((flags & ~supported) != 0) throw PySocketException.OSError(Errno.EOPNOTSUPP);
    }

    /// <summary><c>shutdown(how)</c>: SHUT_RD, SHUT_WR or SHUT_RDWR, a real TCP half-close.</summary>
    public void Shutdown(int how)
    {
        try
        {
            if (Datagram is { } d) d.Shutdown(how);
            else Core.Shutdown(how);
        }
        catch (Exception ex) when (ex is not PySocketException)
        {
            throw Boundary(ex);
        }
    }

    /// <summary>
    /// <c>getsockname()</c>: <c>object[]</c> (host, port) or (host, port, flowinfo, scope_id); for AF_UNIX a string
    /// (a filesystem name, "" when unnamed) or <c>byte[]</c> (an abstract name, or a filesystem name that is not UTF-8).
    /// </summary>
    public object GetSockName()
    {
        try
        {
            return Name(Kernel, peer: false);
        }
        catch (Exception ex) when (ex is not PySocketException)
        {
            throw Boundary(ex);
        }
    }

    /// <summary><c>getpeername()</c>, shaped as <see cref="GetSockName"/>; ENOTCONN when not connected.</summary>
    public object GetPeerName()
    {
        try
        {
            return Name(Kernel, peer: true);
        }
        catch (Exception ex) when (ex is not PySocketException)
        {
            throw Boundary(ex);
        }
    }

    /// <summary>A Python address as the kernel's sockaddr bytes (TypeError, OverflowError, gaierror as CPython).</summary>
    static byte[] KernelAddress(int family, object? address, string caller) => family == SocketConstants.AF_UNIX
        ? UnixAddress.Parse(address)
        : DatagramCore.ToSockAddr(SockAddr.Parse(family, address, caller));

    /// <summary>The kernel's sockaddr bytes as CPython's makesockaddr gives them (null: no address, None).</summary>
    static object? FromKernel(byte[]? sockaddr, int family)
    {
        if (sockaddr is null) return null;
        if (family == SocketConstants.AF_UNIX) return UnixAddress.ToName(sockaddr);
        return SockAddr.ToTuple(DatagramCore.ToEndPoint(sockaddr), family);
    }

    static object Name(IKernelSocket kernel, bool peer)
    {
        if (kernel is DatagramCore d) return FromKernel(d.Name(peer), d.Family)!;
        SocketCore core = (SocketCore)kernel;
        if (core.Family == SocketConstants.AF_UNIX) return core.UnixName(peer);
        return SockAddr.ToTuple(peer ? core.RemoteEndPoint : core.LocalEndPoint, core.Family);
    }

    /// <summary><c>getsockopt(level, optname[, buflen])</c>: an int, or bytes when buflen is given.</summary>
    public object GetSockOpt(int level, int optname, int buflen = 0)
    {
        try
        {
            if (Datagram is { } d) return d.GetOption(level, optname, buflen);
            return Core.GetOption(level, optname, buflen);
        }
        catch (Exception ex) when (ex is not PySocketException)
        {
            throw Boundary(ex);
        }
    }

    /// <summary>
    /// <c>setsockopt(level, optname, value)</c> with an int or bytes-like value, or
    /// <c>setsockopt(level, optname, None, optlen)</c>.
    /// </summary>
    public void SetSockOpt(int level, int optname, object? value, int optlen = 0)
    {
        try
        {
            IKernelSocket kernel = Kernel;
            switch (value)
            {
                case null:
                    SetOption(kernel, level, optname, new byte[optlen]);
                    break;
                case byte[] bytes:
                    SetOption(kernel, level, optname, bytes);
                    break;
                case int or long or bool or System.Numerics.BigInteger:
                    // CPython tries "iii", and when the int does not fit a C int, "iiy*": the error names bytes.
                    if (value is System.Numerics.BigInteger { } big && (big < int.MinValue || big > int.MaxValue)
                        || value is long l && (l < int.MinValue || l > int.MaxValue))
                        throw PySocketException.TypeError("a bytes-like object is required, not 'int'");
                    long v = ToInt64(value, "value");
                    Span<byte> packed = stackalloc byte[4];
                    BinaryPrimitives.WriteInt32LittleEndian(packed, (int)v);
                    SetOption(kernel, level, optname, packed);
                    break;
                default:
                    throw PySocketException.TypeError($"a bytes-like object is required, not '{SockAddr.PyTypeName(value)}'");
            }
        }
        catch (Exception ex) when (ex is not PySocketException)
        {
            throw Boundary(ex);
        }
    }

    static void SetOption(IKernelSocket kernel, int level, int optname, ReadOnlySpan<byte> value)
    {
        if (kernel is DatagramCore d) d.SetOption(level, optname, value);
        else ((SocketCore)kernel).SetOption(level, optname, value);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        int fd = Fileno();
        return $"<socket fd={fd}, family={Family}, type={Type}, proto={Proto}>";
    }
}
