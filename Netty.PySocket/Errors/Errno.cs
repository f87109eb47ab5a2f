// Linux errno values and glibc strerror texts (what CPython on Linux reports).
namespace Netty.PySocket.Errors;

/// <summary>Linux <c>errno</c> numbers, as CPython's <c>errno</c> module exposes them on Linux.</summary>
public static class Errno
{
    /// <summary>Operation not permitted.</summary>
    public const int EPERM = 1;
    /// <summary>No such file or directory.</summary>
    public const int ENOENT = 2;
    /// <summary>No such process.</summary>
    public const int ESRCH = 3;
    /// <summary>Interrupted system call.</summary>
    public const int EINTR = 4;
    /// <summary>Input/output error.</summary>
    public const int EIO = 5;
    /// <summary>No such device or address.</summary>
    public const int ENXIO = 6;
    /// <summary>Argument list too long.</summary>
    public const int E2BIG = 7;
    /// <summary>Bad file descriptor.</summary>
    public const int EBADF = 9;
    /// <summary>No child processes.</summary>
    public const int ECHILD = 10;
    /// <summary>Resource temporarily unavailable.</summary>
    public const int EAGAIN = 11;
    /// <summary>Cannot allocate memory.</summary>
    public const int ENOMEM = 12;
    /// <summary>Permission denied.</summary>
    public const int EACCES = 13;
    /// <summary>Bad address.</summary>
    public const int EFAULT = 14;
    /// <summary>Device or resource busy.</summary>
    public const int EBUSY = 16;
    /// <summary>File exists.</summary>
    public const int EEXIST = 17;
    /// <summary>No such device.</summary>
    public const int ENODEV = 19;
    /// <summary>Not a directory.</summary>
    public const int ENOTDIR = 20;
    /// <summary>Is a directory.</summary>
    public const int EISDIR = 21;
    /// <summary>Invalid argument.</summary>
    public const int EINVAL = 22;
    /// <summary>Too many open files in system.</summary>
    public const int ENFILE = 23;
    /// <summary>Too many open files.</summary>
    public const int EMFILE = 24;
    /// <summary>No space left on device.</summary>
    public const int ENOSPC = 28;
    /// <summary>Broken pipe.</summary>
    public const int EPIPE = 32;
    /// <summary>Numerical argument out of domain.</summary>
    public const int EDOM = 33;
    /// <summary>Numerical result out of range.</summary>
    public const int ERANGE = 34;
    /// <summary>Resource deadlock avoided.</summary>
    public const int EDEADLK = 35;
    /// <summary>File name too long.</summary>
    public const int ENAMETOOLONG = 36;
    /// <summary>Function not implemented.</summary>
    public const int ENOSYS = 38;
    /// <summary>Directory not empty.</summary>
    public const int ENOTEMPTY = 39;
    /// <summary>Too many levels of symbolic links.</summary>
    public const int ELOOP = 40;
    /// <summary>No data available.</summary>
    public const int ENODATA = 61;
    /// <summary>Timer expired.</summary>
    public const int ETIME = 62;
    /// <summary>Protocol error.</summary>
    public const int EPROTO = 71;
    /// <summary>Bad message.</summary>
    public const int EBADMSG = 74;
    /// <summary>Value too large for defined data type.</summary>
    public const int EOVERFLOW = 75;
    /// <summary>Socket operation on non-socket.</summary>
    public const int ENOTSOCK = 88;
    /// <summary>Destination address required.</summary>
    public const int EDESTADDRREQ = 89;
    /// <summary>Message too long.</summary>
    public const int EMSGSIZE = 90;
    /// <summary>Protocol wrong type for socket.</summary>
    public const int EPROTOTYPE = 91;
    /// <summary>Protocol not available.</summary>
    public const int ENOPROTOOPT = 92;
    /// <summary>Protocol not supported.</summary>
    public const int EPROTONOSUPPORT = 93;
    /// <summary>Socket type not supported.</summary>
    public const int ESOCKTNOSUPPORT = 94;
    /// <summary>Operation not supported.</summary>
    public const int EOPNOTSUPP = 95;
    /// <summary>Protocol family not supported.</summary>
    public const int EPFNOSUPPORT = 96;
    /// <summary>Address family not supported by protocol.</summary>
    public const int EAFNOSUPPORT = 97;
    /// <summary>Address already in use.</summary>
    public const int EADDRINUSE = 98;
    /// <summary>Cannot assign requested address.</summary>
    public const int EADDRNOTAVAIL = 99;
    /// <summary>Network is down.</summary>
    public const int ENETDOWN = 100;
    /// <summary>Network is unreachable.</summary>
    public const int ENETUNREACH = 101;
    /// <summary>Network dropped connection on reset.</summary>
    public const int ENETRESET = 102;
    /// <summary>Software caused connection abort.</summary>
    public const int ECONNABORTED = 103;
    /// <summary>Connection reset by peer.</summary>
    public const int ECONNRESET = 104;
    /// <summary>No buffer space available.</summary>
    public const int ENOBUFS = 105;
    /// <summary>Transport endpoint is already connected.</summary>
    public const int EISCONN = 106;
    /// <summary>Transport endpoint is not connected.</summary>
    public const int ENOTCONN = 107;
    /// <summary>Cannot send after transport endpoint shutdown.</summary>
    public const int ESHUTDOWN = 108;
    /// <summary>Too many references: cannot splice.</summary>
    public const int ETOOMANYREFS = 109;
    /// <summary>Connection timed out.</summary>
    public const int ETIMEDOUT = 110;
    /// <summary>Connection refused.</summary>
    public const int ECONNREFUSED = 111;
    /// <summary>Host is down.</summary>
    public const int EHOSTDOWN = 112;
    /// <summary>No route to host.</summary>
    public const int EHOSTUNREACH = 113;
    /// <summary>Operation already in progress.</summary>
    public const int EALREADY = 114;
    /// <summary>Operation now in progress.</summary>
    public const int EINPROGRESS = 115;
    /// <summary>Operation canceled.</summary>
    public const int ECANCELED = 125;
    /// <summary>Same value as <see cref="EAGAIN"/> on Linux.</summary>
    public const int EWOULDBLOCK = EAGAIN;
    /// <summary>Same value as <see cref="EOPNOTSUPP"/> on Linux.</summary>
    public const int ENOTSUP = EOPNOTSUPP;

    /// <summary>The text <c>os.strerror(errno)</c> gives on Linux.</summary>
    public static string StrError(int errno) => errno switch
    {
        EPERM => "Operation not permitted",
        ENOENT => "No such file or directory",
        ESRCH => "No such process",
        EINTR => "Interrupted system call",
        EIO => "Input/output error",
        ENXIO => "No such device or address",
        E2BIG => "Argument list too long",
        EBADF => "Bad file descriptor",
        ECHILD => "No child processes",
        EAGAIN => "Resource temporarily unavailable",
        ENOMEM => "Cannot allocate memory",
        EACCES => "Permission denied",
        EFAULT => "Bad address",
        EBUSY => "Device or resource busy",
        EEXIST => "File exists",
        ENODEV => "No such device",
        ENOTDIR => "Not a directory",
        EISDIR => "Is a directory",
        EINVAL => "Invalid argument",
        ENFILE => "Too many open files in system",
        EMFILE => "Too many open files",
        ENOSPC => "No space left on device",
        EPIPE => "Broken pipe",
        EDOM => "Numerical argument out of domain",
        ERANGE => "Numerical result out of range",
        EDEADLK => "Resource deadlock avoided",
        ENAMETOOLONG => "File name too long",
        ENOSYS => "Function not implemented",
        ENOTEMPTY => "Directory not empty",
        ELOOP => "Too many levels of symbolic links",
        ENODATA => "No data available",
        ETIME => "Timer expired",
        EPROTO => "Protocol error",
        EBADMSG => "Bad message",
        EOVERFLOW => "Value too large for defined data type",
        ENOTSOCK => "Socket operation on non-socket",
        EDESTADDRREQ => "Destination address required",
        EMSGSIZE => "Message too long",
        EPROTOTYPE => "Protocol wrong type for socket",
        ENOPROTOOPT => "Protocol not available",
        EPROTONOSUPPORT => "Protocol not supported",
        ESOCKTNOSUPPORT => "Socket type not supported",
        EOPNOTSUPP => "Operation not supported",
        EPFNOSUPPORT => "Protocol family not supported",
        EAFNOSUPPORT => "Address family not supported by protocol",
        EADDRINUSE => "Address already in use",
        EADDRNOTAVAIL => "Cannot assign requested address",
        ENETDOWN => "Network is down",
        ENETUNREACH => "Network is unreachable",
        ENETRESET => "Network dropped connection on reset",
        ECONNABORTED => "Software caused connection abort",
        ECONNRESET => "Connection reset by peer",
        ENOBUFS => "No buffer space available",
        EISCONN => "Transport endpoint is already connected",
        ENOTCONN => "Transport endpoint is not connected",
        ESHUTDOWN => "Cannot send after transport endpoint shutdown",
        ETOOMANYREFS => "Too many references: cannot splice",
        ETIMEDOUT => "Connection timed out",
        ECONNREFUSED => "Connection refused",
        EHOSTDOWN => "Host is down",
        EHOSTUNREACH => "No route to host",
        EALREADY => "Operation already in progress",
        EINPROGRESS => "Operation now in progress",
        ECANCELED => "Operation canceled",
        _ => $"Unknown error {errno}",
    };
}
