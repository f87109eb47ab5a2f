using System.Net;
using System.Net.Sockets;
using System.Text;
using Netty.PySocket.Errors;
using static Netty.PySocket.Net.SocketConstants;

namespace Netty.PySocket.Net;

/// <summary><c>socket.getaddrinfo</c> and <c>socket.getnameinfo</c> with CPython 3.11 / glibc results and errors.</summary>
public static class AddressInfo
{
    /// <summary>
    /// <c>socket.getaddrinfo(host, port, family, type, proto, flags)</c>: a list of
    /// <c>{family, type, proto, canonname, sockaddr}</c> arrays in glibc's order. host is None, str or bytes; port
    /// is None, int, str or bytes.
    /// </summary>
    public static List<object[]> GetAddrInfo(object? host, object? port, int family = 0, int type = 0, int proto = 0, int flags = 0)
    {
        string? name = host switch
        {
            null => null,
            string s => CString(PyArgs.HostArgNoNulCheck(s)),
            byte[] b => CString(Encoding.Latin1.GetString(b)),
            _ => throw PySocketException.TypeError("getaddrinfo() argument 1 must be string or None"),
        };
        string? service = port switch
        {
            null => null,
            string s => CString(s),
            byte[] b => CString(Encoding.Latin1.GetString(b)),
            _ when PyArgs.TryInt(port, out _) => PyArgs.AsCLong(port).ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => throw PySocketException.OSErrorMessage("Int or String expected"),
        };
        var list = new List<object[]>();
        foreach (var ai in Resolver.GetAddrInfo(name, service, family, type, proto, flags))
            list.Add([ai.Family, ai.SockType, ai.Protocol, ai.CanonName, SockAddr.ToTuple(new IPEndPoint(ai.Address, ai.Port), ai.Family)]);
        return list;
    }

    // CPython hands C strings to glibc: an embedded NUL ends the string.
    static string CString(string s) => s.IndexOf('\0') is var i and >= 0 ? s[..i] : s;

    /// <summary>
    /// <c>socket.getnameinfo(sockaddr, flags)</c>: (host, port) strings. sockaddr is a (host, port[, flowinfo[,
    /// scope_id]]) tuple with a numeric host.
    /// </summary>
    public static object[] GetNameInfo(object? sockaddr, object? flags)
    {
        int fl = PyArgs.AsCInt(flags);
        if (!PyArgs.TryTuple(sockaddr, out var items)) throw PySocketException.TypeError("getnameinfo() argument 1 must be a tuple");
        if (items.Length is < 2 or > 4 || items[0] is not string host)
            throw PySocketException.TypeError("getnameinfo(): illegal sockaddr argument");
        int port = PyArgs.AsCInt(items[1]);
        uint flowinfo = items.Length > 2 ? PyArgs.AsUIntMask(items[2]) : 0;
        uint scopeId = items.Length > 3 ? PyArgs.AsUIntMask(items[3]) : 0;
        if (flowinfo > 0xfffff) throw PySocketException.Overflow("getnameinfo(): flowinfo must be 0-1048575.");

        var res = Resolver.GetAddrInfo(CString(host), port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            AF_UNSPEC, SOCK_DGRAM, 0, AI_NUMERICHOST);
        if (res.Count > 1) throw PySocketException.OSErrorMessage("sockaddr resolved to multiple addresses");
        var ai = res[0];
        var addr = ai.Address;
        if (ai.Family == AF_INET && items.Length != 2) throw PySocketException.OSErrorMessage("IPv4 sockaddr must be 2 tuple");
        if (ai.Family == AF_INET6) addr = new IPAddress(addr.GetAddressBytes(), scopeId);

        // glibc getnameinfo accepts NI_NUMERICHOST..NI_IDN and the two deprecated IDN bits.
        if ((fl & ~0xff) != 0) throw GaiErrors.Gai(EAI_BADFLAGS);
        return [NameOfHost(addr, fl), NameOfService(ai.Port, fl)];
    }

    static string NameOfHost(IPAddress addr, int flags)
    {
        if ((flags & NI_NUMERICHOST) == 0)
        {
            var name = HostsDb.ByAddress(addr)?.Name ?? ReverseDns(addr);
            if (name is not null) return name;
            if ((flags & NI_NAMEREQD) != 0) throw GaiErrors.Gai(EAI_NONAME);
        }
        string text = InetText.Ntop(addr);
        if (addr.AddressFamily == AddressFamily.InterNetworkV6 && addr.ScopeId != 0)
        {
            var b = addr.GetAddressBytes();
            bool linkLocal = (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) || (b[0] == 0xff && (b[1] & 0x0f) == 0x02);
            string? ifName = linkLocal ? Interfaces.NameOf((uint)addr.ScopeId) : null;
            text += "%" + (ifName ?? ((uint)addr.ScopeId).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return text;
    }

    /// <summary>The DNS half of glibc's "files dns" reverse lookup; null when nothing answers.</summary>
    internal static string? ReverseDns(IPAddress addr)
    {
        try
        {
            var name = Dns.GetHostEntry(addr).HostName;
            return string.IsNullOrEmpty(name) ? null : name;
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            return null;
        }
    }

    static string NameOfService(int port, int flags)
    {
        if ((flags & NI_NUMERICSERV) == 0 && ServicesDb.ByPort(port, (flags & NI_DGRAM) != 0 ? "udp" : "tcp") is { } s)
            return s.Name;
        return port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
