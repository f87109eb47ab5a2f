namespace Netty.PySocket.Errors;

/// <summary>
/// The Python exception class a <see cref="PySocketException"/> stands for. A binding raises the class of the
/// same name; for <see cref="OSError"/> it raises <c>OSError(errno, strerror)</c>, which Python itself turns into
/// the errno's subclass (ConnectionRefusedError, BlockingIOError, ...), exactly as CPython's socket module does.
/// </summary>
public enum PyErrorKind
{
    /// <summary><c>OSError(errno, strerror)</c>; Python picks the errno's subclass.</summary>
    OSError,
    /// <summary><c>socket.timeout</c> (TimeoutError) with the single argument "timed out" and no errno.</summary>
    Timeout,
    /// <summary><c>socket.gaierror(code, message)</c> with an EAI_* code.</summary>
    GaiError,
    /// <summary><c>socket.herror(code, message)</c>.</summary>
    HError,
    /// <summary><c>TypeError(message)</c>.</summary>
    TypeError,
    /// <summary><c>ValueError(message)</c>.</summary>
    ValueError,
    /// <summary><c>OverflowError(message)</c>.</summary>
    OverflowError,
    /// <summary><c>KeyError(key)</c>.</summary>
    KeyError,
    /// <summary><c>NotImplementedError(message)</c>.</summary>
    NotImplementedError,
    /// <summary><c>ssl.SSLError(code, message)</c>.</summary>
    SSLError,
    /// <summary><c>ssl.SSLZeroReturnError</c>.</summary>
    SSLZeroReturnError,
    /// <summary><c>ssl.SSLWantReadError</c>.</summary>
    SSLWantReadError,
    /// <summary><c>ssl.SSLWantWriteError</c>.</summary>
    SSLWantWriteError,
    /// <summary><c>ssl.SSLSyscallError</c>.</summary>
    SSLSyscallError,
    /// <summary><c>ssl.SSLEOFError</c>.</summary>
    SSLEOFError,
    /// <summary><c>ssl.SSLCertVerificationError</c>.</summary>
    SSLCertVerificationError,
    /// <summary><c>RuntimeError(message)</c>.</summary>
    RuntimeError,
}
