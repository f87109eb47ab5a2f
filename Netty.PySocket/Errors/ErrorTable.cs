using System.Net.Sockets;
using DotNetty.Transport.Channels;

namespace Netty.PySocket.Errors;

/// <summary>
/// The one place where .NET and DotNetty failures become Python errors (like the errno table in CPython's
/// socketmodule.c). Everything thrown from a public method passes through <see cref="Translate"/>.
/// </summary>
public static class ErrorTable
{
    /// <summary>The Linux errno for a .NET <see cref="SocketError"/>.</summary>
    public static int ToErrno(SocketError error) => error switch
    {
        SocketError.AccessDenied => Errno.EACCES,
        SocketError.AddressAlreadyInUse => Errno.EADDRINUSE,
        SocketError.AddressFamilyNotSupported => Errno.EAFNOSUPPORT,
        SocketError.AddressNotAvailable => Errno.EADDRNOTAVAIL,
        SocketError.AlreadyInProgress => Errno.EALREADY,
        SocketError.ConnectionAborted => Errno.ECONNABORTED,
        SocketError.ConnectionRefused => Errno.ECONNREFUSED,
        SocketError.ConnectionReset => Errno.ECONNRESET,
        SocketError.DestinationAddressRequired => Errno.EDESTADDRREQ,
        SocketError.Disconnecting => Errno.ESHUTDOWN,
        SocketError.Fault => Errno.EFAULT,
        SocketError.HostDown => Errno.EHOSTDOWN,
        SocketError.HostUnreachable => Errno.EHOSTUNREACH,
        SocketError.InProgress => Errno.EINPROGRESS,
        SocketError.Interrupted => Errno.EINTR,
        SocketError.InvalidArgument => Errno.EINVAL,
        SocketError.IsConnected => Errno.EISCONN,
        SocketError.MessageSize => Errno.EMSGSIZE,
        SocketError.NetworkDown => Errno.ENETDOWN,
        SocketError.NetworkReset => Errno.ENETRESET,
        SocketError.NetworkUnreachable => Errno.ENETUNREACH,
        SocketError.NoBufferSpaceAvailable => Errno.ENOBUFS,
        SocketError.NotConnected => Errno.ENOTCONN,
        SocketError.NotSocket => Errno.ENOTSOCK,
        SocketError.OperationAborted => Errno.ECANCELED,
        SocketError.OperationNotSupported => Errno.EOPNOTSUPP,
        SocketError.ProtocolFamilyNotSupported => Errno.EPFNOSUPPORT,
        SocketError.ProtocolNotSupported => Errno.EPROTONOSUPPORT,
        SocketError.ProtocolOption => Errno.ENOPROTOOPT,
        SocketError.ProtocolType => Errno.EPROTOTYPE,
        SocketError.Shutdown => Errno.EPIPE,
        SocketError.SocketNotSupported => Errno.ESOCKTNOSUPPORT,
        SocketError.TimedOut => Errno.ETIMEDOUT,
        SocketError.TooManyOpenSockets => Errno.EMFILE,
        SocketError.TryAgain => Errno.EAGAIN,
        SocketError.WouldBlock => Errno.EAGAIN,
        SocketError.HostNotFound => Errno.ENOENT,
        _ => Errno.EIO,
    };

    /// <summary>
    /// Turns any exception from .NET or DotNetty into the Python error CPython would raise. Unwraps
    /// aggregate/channel wrappers first; a socket disposed under us reads as EBADF (the fd is gone).
    /// </summary>
    public static PySocketException Translate(Exception ex)
    {
        switch (ex)
        {
            case PySocketException py:
                return py;
            case AggregateException agg when agg.InnerExceptions.Count == 1:
                return Translate(agg.InnerExceptions[0]);
            case SocketException se:
                return PySocketException.OSError(ToErrno(se.SocketErrorCode), se);
            case ConnectTimeoutException:
                return PySocketException.Timeout();
            case ClosedChannelException cce when cce.InnerException is not null:
                return Translate(cce.InnerException);
            case ClosedChannelException:
                return PySocketException.OSError(Errno.EPIPE, ex);
            case ConnectException ce when ce.InnerException is not null:
                return Translate(ce.InnerException);
            case ChannelException che when che.InnerException is not null:
                return Translate(che.InnerException);
            case ObjectDisposedException:
                return PySocketException.OSError(Errno.EBADF, ex);
            case OperationCanceledException:
                return PySocketException.OSError(Errno.ECANCELED, ex);
            case OutOfMemoryException:
                return PySocketException.OSError(Errno.ENOMEM, ex);
            case System.IO.IOException io when io.InnerException is not null:
                return Translate(io.InnerException);
            default:
                return PySocketException.OSError(Errno.EIO, ex.GetType().Name + ": " + ex.Message);
        }
    }
}
