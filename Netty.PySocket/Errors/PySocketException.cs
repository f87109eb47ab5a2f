namespace Netty.PySocket.Errors;

/// <summary>
/// The only exception type the library's public methods throw: it carries the Python exception class
/// (<see cref="Kind"/>) and its arguments, so a binding raises exactly what CPython raises.
/// </summary>
public sealed class PySocketException : Exception
{
    PySocketException(PyErrorKind kind, int? errno, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Errno = errno;
    }

    /// <summary>The Python exception class this stands for.</summary>
    public PyErrorKind Kind { get; }

    /// <summary>The errno (OSError), EAI_* code (gaierror), h_errno (herror) or SSL error code; null where Python has none.</summary>
    public int? Errno { get; }

    /// <summary>The strerror / message text: the second argument of OSError-like exceptions, the only argument of the rest.</summary>
    public string Strerror => Message;

    /// <summary>The Python class name for <see cref="Kind"/>; for OSError, the subclass Python picks for <see cref="Errno"/>.</summary>
    public string PythonTypeName => Kind switch
    {
        PyErrorKind.OSError => OsErrorClass(Errno ?? 0),
        PyErrorKind.Timeout => "TimeoutError",
        PyErrorKind.GaiError => "gaierror",
        PyErrorKind.HError => "herror",
        _ => Kind.ToString(),
    };

    /// <summary>The Python exception's <c>args</c>: (errno, strerror) for errno-carrying kinds, (message,) otherwise.</summary>
    public object?[] PythonArgs => Errno is int e ? [e, Message] : [Message];

    /// <summary>The class CPython's OSError constructor picks for an errno (Objects/exceptions.c errnomap).</summary>
    public static string OsErrorClass(int errno) => errno switch
    {
        Errors.Errno.EAGAIN or Errors.Errno.EALREADY or Errors.Errno.EINPROGRESS => "BlockingIOError",
        Errors.Errno.ECHILD => "ChildProcessError",
        Errors.Errno.EPIPE or Errors.Errno.ESHUTDOWN => "BrokenPipeError",
        Errors.Errno.ECONNABORTED => "ConnectionAbortedError",
        Errors.Errno.ECONNREFUSED => "ConnectionRefusedError",
        Errors.Errno.ECONNRESET => "ConnectionResetError",
        Errors.Errno.EEXIST => "FileExistsError",
        Errors.Errno.ENOENT => "FileNotFoundError",
        Errors.Errno.EISDIR => "IsADirectoryError",
        Errors.Errno.ENOTDIR => "NotADirectoryError",
        Errors.Errno.EINTR => "InterruptedError",
        Errors.Errno.EACCES or Errors.Errno.EPERM => "PermissionError",
        Errors.Errno.ESRCH => "ProcessLookupError",
        Errors.Errno.ETIMEDOUT => "TimeoutError",
        _ => "OSError",
    };

    /// <summary><c>OSError(errno, os.strerror(errno))</c>.</summary>
    public static PySocketException OSError(int errno, Exception? inner = null) =>
        new(PyErrorKind.OSError, errno, Errors.Errno.StrError(errno), inner);

    /// <summary><c>OSError(errno, message)</c> with a message of its own.</summary>
    public static PySocketException OSError(int errno, string message) => new(PyErrorKind.OSError, errno, message);

    /// <summary><c>OSError(message)</c> without an errno, as CPython raises for e.g. "service/proto not found".</summary>
    public static PySocketException OSErrorMessage(string message) => new(PyErrorKind.OSError, null, message);

    /// <summary><c>socket.timeout("timed out")</c>, as CPython raises on a socket timeout.</summary>
    public static PySocketException Timeout() => new(PyErrorKind.Timeout, null, "timed out");

    /// <summary><c>BlockingIOError(EAGAIN, ...)</c>, a non-blocking call that would block.</summary>
    public static PySocketException WouldBlock() => OSError(Errors.Errno.EAGAIN);

    /// <summary><c>socket.gaierror(code, message)</c>.</summary>
    public static PySocketException GaiError(int code, string message) => new(PyErrorKind.GaiError, code, message);

    /// <summary><c>socket.herror(code, message)</c>.</summary>
    public static PySocketException HError(int code, string message) => new(PyErrorKind.HError, code, message);

    /// <summary><c>TypeError(message)</c>.</summary>
    public static PySocketException TypeError(string message) => new(PyErrorKind.TypeError, null, message);

    /// <summary><c>ValueError(message)</c>.</summary>
    public static PySocketException ValueError(string message) => new(PyErrorKind.ValueError, null, message);

    /// <summary><c>OverflowError(message)</c>.</summary>
    public static PySocketException Overflow(string message) => new(PyErrorKind.OverflowError, null, message);

    /// <summary><c>KeyError(message)</c>.</summary>
    public static PySocketException KeyError(string message) => new(PyErrorKind.KeyError, null, message);

    /// <summary><c>NotImplementedError(message)</c>.</summary>
    public static PySocketException NotImplemented(string message) => new(PyErrorKind.NotImplementedError, null, message);

    /// <summary><c>RuntimeError(message)</c>.</summary>
    public static PySocketException RuntimeError(string message) => new(PyErrorKind.RuntimeError, null, message);

    /// <summary>An exception of an SSL kind with an optional code.</summary>
    public static PySocketException Ssl(PyErrorKind kind, int? code, string message, Exception? inner = null) =>
        new(kind, code, message, inner);

    /// <inheritdoc />
    public override string ToString() => Errno is int e
        ? $"{PythonTypeName}: [Errno {e}] {Message}"
        : $"{PythonTypeName}: {Message}";
}
