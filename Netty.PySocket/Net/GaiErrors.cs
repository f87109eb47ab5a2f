using Netty.PySocket.Errors;

namespace Netty.PySocket.Net;

/// <summary>gaierror and herror construction with glibc's gai_strerror / hstrerror texts.</summary>
internal static class GaiErrors
{
    /// <summary>glibc gai_strerror.</summary>
    public static string Message(int code) => code switch
    {
        -1 => "Bad value for ai_flags",
        -2 => "Name or service not known",
        -3 => "Temporary failure in name resolution",
        -4 => "Non-recoverable failure in name resolution",
        -5 => "No address associated with hostname",
        -6 => "ai_family not supported",
        -7 => "ai_socktype not supported",
        -8 => "Servname not supported for ai_socktype",
        -9 => "Address family for hostname not supported",
        -10 => "Memory allocation failure",
        -11 => "System error",
        _ => "Unknown error",
    };

    /// <summary><c>socket.gaierror(code, gai_strerror(code))</c>.</summary>
    public static PySocketException Gai(int code) => PySocketException.GaiError(code, Message(code));

    /// <summary>glibc hstrerror.</summary>
    public static string HMessage(int code) => code switch
    {
        0 => "Resolver Error 0 (no error)",
        1 => "Unknown host",
        2 => "Host name lookup failure",
        3 => "Unknown server error",
        4 => "No address associated with name",
        _ => "Unknown resolver error",
    };

    /// <summary><c>socket.herror(h_errno, hstrerror(h_errno))</c>.</summary>
    public static PySocketException H(int code) => PySocketException.HError(code, HMessage(code));
}
