using System.Net.Sockets;
using System.Runtime.InteropServices;
using Netty.PySocket.Errors;
using Netty.PySocket.Net;
using Netty.PySocket.Runtime;

namespace Netty.PySocket.Socket;

/// <summary>
/// AF_UNIX stream sockets (design/socketobject.md, "AF_UNIX"). The descriptor is made by socket(2)/socketpair(2)
/// and adopted by System.Net; bind (through System.Net, <see cref="UnixBindEndPoint"/>), connect and the names go
/// to the kernel with CPython's raw sockaddr_un bytes. Everything after connect or accept is the TCP code: the
/// same <see cref="PyTcpChannel"/>, buffers, half-close and readiness.
/// </summary>
internal sealed partial class SocketCore
{
    bool IsUnix => Family == SocketConstants.AF_UNIX;

    /// <summary>socket(AF_UNIX, SOCK_STREAM, proto): proto 0 or PF_UNIX, else EPROTONOSUPPORT (the kernel's answer).</summary>
    public static SocketCore CreateUnix(int proto)
    {
        int fd = LibC.Socket(SocketConstants.AF_UNIX, SocketConstants.SOCK_STREAM | SocketConstants.SOCK_CLOEXEC, proto);
        if (fd < 0) throw PySocketException.OSError(Marshal.GetLastPInvokeError());
        var core = new SocketCore(SocketConstants.AF_UNIX, SocketConstants.SOCK_STREAM, proto, Adopt(fd), SocketState.Fresh);
        PySocketRuntime.OpenSockets[core] = 0;
        return core;
    }

    /// <summary>
    /// socketpair(family, type, proto): the kernel makes (or refuses: EOPNOTSUPP for AF_INET, as Linux) a connected
    /// pair; AF_UNIX SOCK_STREAM pairs are carried as stream sockets, SOCK_DGRAM pairs as <see cref="DatagramCore"/>,
    /// others are closed again with EOPNOTSUPP.
    /// </summary>
    public static (IKernelSocket, IKernelSocket) CreatePair(int family, int type, int proto)
    {
        int[] fds = new int[2];
        if (LibC.SocketPair(family, type | SocketConstants.SOCK_CLOEXEC, proto, fds) < 0)
            throw PySocketException.OSError(Marshal.GetLastPInvokeError());
        if (family != SocketConstants.AF_UNIX || type is not (SocketConstants.SOCK_STREAM or SocketConstants.SOCK_DGRAM))
        {
            LibC.Close(fds[0]);
            LibC.Close(fds[1]);
            throw PySocketException.OSError(Errno.EOPNOTSUPP);
        }
        IKernelSocket Wrap(int fd) => type == SocketConstants.SOCK_STREAM
            ? ForConnected(Adopt(fd), proto)
            : DatagramCore.Adopt(family, proto, Adopt(fd));
        IKernelSocket a;
        try
        {
            a = Wrap(fds[0]);
        }
        catch
        {
            LibC.Close(fds[1]);
            throw;
        }
        IKernelSocket b;
        try
        {
            b = Wrap(fds[1]);
        }
        catch
        {
            a.Abort();
            throw;
        }
        return (a, b);
    }

    internal static System.Net.Sockets.Socket Adopt(int fd)
    {
        try
        {
            return new System.Net.Sockets.Socket(new SafeSocketHandle(fd, ownsHandle: true));
        }
        catch (Exception ex)
        {
            LibC.Close(fd);
            throw ErrorTable.Translate(ex);
        }
    }

    /// <summary>A socket the kernel already connected (socketpair, AF_UNIX connect): channel attached and registered.</summary>
    static SocketCore ForConnected(System.Net.Sockets.Socket raw, int proto)
    {
        var core = new SocketCore(SocketConstants.AF_UNIX, SocketConstants.SOCK_STREAM, proto, raw, SocketState.Fresh);
        PySocketRuntime.OpenSockets[core] = 0;
        lock (core.Sync)
        {
            core.StartConnected();
        }
        return core;
    }

    /// <summary>Under the lock: wraps the connected socket in a channel that is active from the start.</summary>
    void StartConnected()
    {
        var ch = new PyTcpChannel(null, raw);
        AttachChannel(ch);
        state = SocketState.Connected;
        OwnReadsFromStart();
        ListLoopbackPeer();
        PySocketRuntime.Group.GetNext().RegisterAsync(ch);
    }

    /// <summary>
    /// bind(2) with the raw address, through System.Net so that its accept knows the socket is bound (see
    /// <see cref="UnixBindEndPoint"/>): EADDRINUSE when the file exists, EINVAL when already bound, as Linux.
    /// </summary>
    internal void BindUnix(byte[] sockaddr)
    {
        lock (Sync)
        {
            if (state == SocketState.Closed) throw BadFd();
            var ep = new UnixBindEndPoint(sockaddr);
            try
            {
                raw.Bind(ep);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressNotAvailable)
            {
                // System.Net reports ENOENT (a missing directory) as AddressNotAvailable; an AF_UNIX bind never
                // fails with EADDRNOTAVAIL.
                throw PySocketException.OSError(Errno.ENOENT);
            }
            catch (Exception ex)
            {
                throw ErrorTable.Translate(ex);
            }
            ep.Widen();
        }
    }

    /// <summary>
    /// connect(2) with the raw address. An AF_UNIX connect completes at once (ENOENT, ECONNREFUSED, ...) or, with the
    /// listener's backlog full, fails with EAGAIN on a non-blocking descriptor. CPython's descriptor is non-blocking in
    /// timeout and non-blocking modes, so those raise EAGAIN as CPython does; blocking mode waits for room as the
    /// kernel would. Returns 0 or the errno (connect_ex).
    /// </summary>
    internal int ConnectUnix(byte[] sockaddr, in Deadline deadline, bool raise)
    {
        lock (Sync)
        {
            while (true)
            {
                switch (state)
                {
                    case SocketState.Closed:
                        throw BadFd();
                    case SocketState.Connected:
                        return Fail(Errno.EISCONN, raise);
                }
                int errno = ConnectCall(sockaddr);
                if (errno == 0 && state == SocketState.Fresh)
                {
                    StartConnected();
                    return 0;
                }
                if (errno != Errno.EAGAIN || !deadline.IsInfinite) return Fail(errno, raise);
                // The kernel would sleep until the listener accepts; nothing signals us, so look again shortly.
                Waiter.Wait(Sync, Deadline.FromTimeout(0.01));
            }
        }
    }

    /// <summary>connect(2) on the descriptor made non-blocking for the call, under the caller's lock; returns 0 or the errno.</summary>
    unsafe int ConnectCall(byte[] sockaddr)
    {
        SafeHandle h = raw.SafeHandle;
        bool added = false;
        try
        {
            h.DangerousAddRef(ref added);
            int fd = (int)h.DangerousGetHandle();
            fixed (byte* p = sockaddr)
            {
                // Only a Fresh socket (no channel, nothing on the socket engine) is connected, so its flags are ours.
                int flags = LibC.Fcntl(fd, LibC.F_GETFL, 0);
                LibC.Fcntl(fd, LibC.F_SETFL, flags | LibC.O_NONBLOCK);
                int rc = LibC.Connect(fd, p, sockaddr.Length);
                int errno = Marshal.GetLastPInvokeError();
                LibC.Fcntl(fd, LibC.F_SETFL, flags);
                return rc == 0 ? 0 : errno;
            }
        }
        catch (ObjectDisposedException)
        {
            return Errno.EBADF;
        }
        finally
        {
            if (added) h.DangerousRelease();
        }
    }

    /// <summary>getsockname(2)/getpeername(2) as CPython's makesockaddr gives them ("" when unnamed; ENOTCONN).</summary>
    internal unsafe object UnixName(bool peer)
    {
        lock (Sync)
        {
            if (state == SocketState.Closed) throw BadFd();
        }
        SafeHandle h = raw.SafeHandle;
        bool added = false;
        byte* buffer = stackalloc byte[UnixAddress.Size];
        int len = UnixAddress.Size;
        try
        {
            h.DangerousAddRef(ref added);
            int fd = (int)h.DangerousGetHandle();
            int rc = peer ? LibC.GetPeerName(fd, buffer, &len) : LibC.GetSockName(fd, buffer, &len);
            if (rc < 0) throw PySocketException.OSError(Marshal.GetLastPInvokeError());
        }
        catch (ObjectDisposedException)
        {
            throw BadFd();
        }
        finally
        {
            if (added) h.DangerousRelease();
        }
        return UnixAddress.ToName(new ReadOnlySpan<byte>(buffer, Math.Min(len, UnixAddress.Size)));
    }
}
