using Netty.PySocket.Errors;
using static Netty.PySocket.Net.SocketConstants;

namespace Netty.PySocket.Net;

/// <summary><c>socket.inet_aton</c>, <c>inet_ntoa</c>, <c>inet_pton</c> and <c>inet_ntop</c>.</summary>
public static class InetConversions
{
    /// <summary><c>socket.inet_aton(ip_string)</c>: 4 bytes; accepts the classic forms ("127.1", "0x7f.1", octal).</summary>
    public static byte[] InetAton(object? ipString) =>
        InetText.Aton(PyArgs.StrArg(ipString, "inet_aton", 1))
        ?? throw PySocketException.OSErrorMessage("illegal IP address string passed to inet_aton");

    /// <summary><c>socket.inet_ntoa(packed_ip)</c>.</summary>
    public static string InetNtoa(object? packedIp)
    {
        var b = Bytes(packedIp);
        if (b.Length != 4) throw PySocketException.OSErrorMessage("packed IP wrong length for inet_ntoa");
        return InetText.NtopV4(b);
    }

    /// <summary><c>socket.inet_pton(address_family, ip_string)</c>.</summary>
    public static byte[] InetPton(int addressFamily, object? ipString)
    {
        string s = PyArgs.StrArg(ipString, "inet_pton", 2);
        byte[]? r = addressFamily switch
        {
            AF_INET => InetText.PtonV4(s),
            AF_INET6 => InetText.PtonV6(s),
            _ => throw PySocketException.OSError(Errno.EAFNOSUPPORT),
        };
        return r ?? throw PySocketException.OSErrorMessage("illegal IP address string passed to inet_pton");
    }

    /// <summary><c>socket.inet_ntop(address_family, packed_ip)</c>.</summary>
    public static string InetNtop(int addressFamily, object? packedIp)
    {
        var b = Bytes(packedIp);
        int want = addressFamily switch
        {
            AF_INET => 4,
            AF_INET6 => 16,
            _ => throw PySocketException.ValueError($"unknown address family {addressFamily}"),
        };
        if (b.Length != want) throw PySocketException.ValueError("invalid length of packed IP address string");
        return want == 4 ? InetText.NtopV4(b) : InetText.NtopV6(b);
    }

    static byte[] Bytes(object? v) => v as byte[]
        ?? throw PySocketException.TypeError($"a bytes-like object is required, not '{SockAddr.PyTypeName(v)}'");
}
