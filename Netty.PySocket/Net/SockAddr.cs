using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Runtime.CompilerServices;
using Netty.PySocket.Errors;

namespace Netty.PySocket.Net;

/// <summary>Python socket addresses to and from .NET endpoints (CPython's getsockaddrarg / makesockaddr).</summary>
internal static class SockAddr
{
    public static IPEndPoint Parse(int family, object? address, string caller)
    {
        string fam = family == SocketConstants.AF_INET6 ? "AF_INET6" : "AF_INET";
        object?[] items = address switch
        {
            object?[] arr => arr,
            ITuple t => Enumerable.Range(0, t.Length).Select(i => t[i]).ToArray(),
            _ => throw PySocketException.TypeError($"{fam} address must be tuple, not {PyTypeName(address)}"),
        };
        if (family == SocketConstants.AF_INET && items.Length != 2)
            throw PySocketException.TypeError($"AF_INET address must be a pair (host, port)");
        if (family == SocketConstants.AF_INET6 && (items.Length < 2 || items.Length > 4))
            throw PySocketException.TypeError($"AF_INET6 address must be a tuple (host, port[, flowinfo[, scopeid]])");
        string host = items[0] switch
        {
            string s => s,
            byte[] b => System.Text.Encoding.ASCII.GetString(b),
            _ => throw PySocketException.TypeError($"str, bytes or bytearray expected, not {PyTypeName(items[0])}"),
        };
        long port = ToInt(items[1]);
        if (port < 0 || port > 65535) throw PySocketException.Overflow($"{caller}(): port must be 0-65535.");
        IPAddress ip = Resolve(host, family);
        if (family == SocketConstants.AF_INET6 && items.Length == 4)
        {
            ip.ScopeId = ToInt(items[3]);
        }
        return new IPEndPoint(ip, (int)port);
    }

    static long ToInt(object? v) => v switch
    {
        int i => i,
        long l => l,
        BigInteger b when b >= long.MinValue && b <= long.MaxValue => (long)b,
        BigInteger => long.MaxValue,
        bool b => b ? 1 : 0,
        _ => throw PySocketException.TypeError($"'{PyTypeName(v)}' object cannot be interpreted as an integer"),
    };

    static IPAddress Resolve(string host, int family)
    {
        bool v6 = family == SocketConstants.AF_INET6;
        if (host.Length == 0) return v6 ? IPAddress.IPv6Any : IPAddress.Any;
        if (host == "<broadcast>" && !v6) return IPAddress.Broadcast;
        if (IPAddress.TryParse(host, out IPAddress? ip) && ip.AddressFamily == (v6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork))
            return ip;
        try
        {
            foreach (IPAddress a in Dns.GetHostAddresses(host))
            {
                if (a.AddressFamily == (v6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork)) return a;
            }
        }
        catch (SocketException)
        {
        }
        throw PySocketException.GaiError(SocketConstants.EAI_NONAME, "Name or service not known");
    }

    public static object[] ToTuple(EndPoint? ep, int family)
    {
        if (ep is not IPEndPoint ip)
        {
            return family == SocketConstants.AF_INET6 ? ["::", 0, 0, 0] : ["0.0.0.0", 0];
        }
        IPAddress a = ip.Address;
        if (family == SocketConstants.AF_INET)
        {
            if (a.IsIPv4MappedToIPv6) a = a.MapToIPv4();
            return [a.ToString(), ip.Port];
        }
        long scope = a.AddressFamily == AddressFamily.InterNetworkV6 ? a.ScopeId : 0;
        string text = a.ToString();
        int pct = text.IndexOf('%');
        if (pct >= 0) text = text[..pct];
        return [text, ip.Port, 0, (int)scope];
    }

    internal static string PyTypeName(object? v) => v switch
    {
        null => "NoneType",
        string => "str",
        int or long or BigInteger => "int",
        bool => "bool",
        byte[] => "bytes",
        double or float => "float",
        object[] or ITuple => "tuple",
        System.Collections.IList => "list",
        _ => v.GetType().Name,
    };
}
