using System.Security.Authentication;
using System.Text.RegularExpressions;
using Netty.PySocket.Errors;

namespace Netty.PySocket.Ssl;

/// <summary>The ssl-only attributes of an SSL exception: <c>library</c>, <c>reason</c>, <c>verify_code</c>, <c>verify_message</c>.</summary>
public sealed record SslErrorInfo(string? Library, string? Reason, int? VerifyCode = null, string? VerifyMessage = null);

/// <summary>Builds ssl exceptions with CPython 3.11's args (code, "[LIB: REASON] text (_ssl.c:line)") and attributes.</summary>
public static partial class SslErrors
{
    // Line numbers CPython 3.11.7's _ssl.c puts in its messages (a binding comparing args needs them).
    internal const int HandshakeLine = 1006, ReadLine = 2580, CertChainLine = 3926, CertFileLine = 3905, CadataLine = 4020;

    const string InfoKey = "Netty.PySocket.Ssl.SslErrorInfo";

    /// <summary>library/reason/verify_code/verify_message of an SSL exception (null for other exceptions).</summary>
    public static SslErrorInfo? SslInfo(this PySocketException e) => e.Data[InfoKey] as SslErrorInfo;

    internal static PySocketException Make(PyErrorKind kind, int? code, string message, SslErrorInfo? info, Exception? inner = null)
    {
        PySocketException e = PySocketException.Ssl(kind, code, message, inner);
        if (info is not null) e.Data[InfoKey] = info;
        return e;
    }

    /// <summary><c>SSLError(code, "[LIB: REASON] text (_ssl.c:line)")</c>.</summary>
    internal static PySocketException Error(PyErrorKind kind, int code, string library, string reason, string text, int line, Exception? inner = null) =>
        Make(kind, code, $"[{library}: {reason}] {text} (_ssl.c:{line})", new SslErrorInfo(library, reason), inner);

    internal static PySocketException WantRead(int line = ReadLine) =>
        Make(PyErrorKind.SSLWantReadError, SslConstants.SSL_ERROR_WANT_READ, $"The operation did not complete (read) (_ssl.c:{line})", null);

    internal static PySocketException WantWrite(int line = ReadLine) =>
        Make(PyErrorKind.SSLWantWriteError, SslConstants.SSL_ERROR_WANT_WRITE, $"The operation did not complete (write) (_ssl.c:{line})", null);

    internal static PySocketException Timeout(string message) => PySocketException.Ssl(PyErrorKind.Timeout, null, message);

    internal static PySocketException UnexpectedEof(int line) =>
        Error(PyErrorKind.SSLEOFError, SslConstants.SSL_ERROR_EOF, "SSL", "UNEXPECTED_EOF_WHILE_READING", "EOF occurred in violation of protocol", line);

    internal static PySocketException PemLib(int line) =>
        Make(PyErrorKind.SSLError, 524297, $"[SSL] PEM lib (_ssl.c:{line})", new SslErrorInfo("SSL", null));

    internal static PySocketException CertVerify(int verifyCode, string verifyMessage) =>
        Make(PyErrorKind.SSLCertVerificationError, 1,
            $"[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: {verifyMessage} (_ssl.c:{HandshakeLine})",
            new SslErrorInfo("SSL", "CERTIFICATE_VERIFY_FAILED", verifyCode, verifyMessage));

    [GeneratedRegex(@"error:[0-9A-Fa-f]+:([A-Za-z0-9 ]+?) routines:[^:]*:([^\r\n:]+)")]
    private static partial Regex OpenSslError();

    /// <summary>
    /// A handshake or record failure from SslStream, as OpenSSL would have named it. .NET on Linux carries
    /// OpenSSL's own error string ("error:0A000418:SSL routines::tlsv1 alert unknown ca"), so the reason is
    /// exactly CPython's; anything else becomes SSLError(1, "[SSL: UNKNOWN] ...").
    /// </summary>
    internal static PySocketException FromTls(Exception ex, int line)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            Match m = OpenSslError().Match(e.Message);
            if (m.Success)
            {
                string library = m.Groups[1].Value.Trim() switch
                {
                    "SSL" => "SSL",
                    "X509 certificate" or "x509 certificate" => "X509",
                    var other => other.ToUpperInvariant(),
                };
                string text = m.Groups[2].Value.Trim();
                string reason = text.ToUpperInvariant().Replace(' ', '_');
                if (reason == "UNEXPECTED_EOF_WHILE_READING") return UnexpectedEof(line);
                return Error(PyErrorKind.SSLError, 1, library, reason, text, line, ex);
            }
        }
        if (ex is AggregateException agg && agg.InnerExceptions.Count == 1) ex = agg.InnerExceptions[0];
        string message = ex is AuthenticationException && ex.InnerException is not null ? ex.InnerException.Message : ex.Message;
        return Make(PyErrorKind.SSLError, 1, $"[SSL: UNKNOWN] {message} (_ssl.c:{line})", new SslErrorInfo("SSL", "UNKNOWN"), ex);
    }
}
