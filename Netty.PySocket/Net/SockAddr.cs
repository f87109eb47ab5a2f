using System.Collections;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Runtime.CompilerServices;
using Netty.PySocket.Errors;
using static Netty.PySocket.Net.SocketConstants;

namespace Netty.PySocket.Net;

/// <summary>
/// CPython's getsockaddrarg / setipaddr / makesockaddr for AF_INET and AF_INET6: Python address tuples to
/// endpoints for bind/connect/sendto, and endpoints back to tuples.
/// </summary>
internal static class SockAddr
{
    /// <summary>
    /// Parses a Python address for a socket of <paramref name="family"/>, raising what CPython 3.11 raises;
    /// <paramref name="caller"/> is the method name used in messages ("bind", "connect", "sendto", ...).
    /// </summary>
    public static IPEndPoint Parse(int family, object? address, string caller)
    {
        switch (family)
        {
            case AF_INET:
            {
                if (!PyArgs.TryTuple(address, out var items))
                    throw PySocketException.TypeError($"{caller}(): AF_INET address must be tuple, not {PyTypeName(address)}");
                if (items.Length != 2) throw PySocketException.TypeError("AF_INET address must be a pair (host, port)");
                string host = PyArgs.HostArg(items[0]);
                int port = Port(items[1], caller);
                // CPython resolves the host before it checks the port's range (a bad host wins).
                var ip = SetIpAddr(host, AF_INET);
                return new IPEndPoint(ip, PortInRange(port, caller));
            }
            case AF_INET6:
            {
                if (!PyArgs.TryTuple(address, out var items))
                    throw PySocketException.TypeError($"{caller}(): AF_INET6 address must be tuple, not {PyTypeName(address)}");
                if (items.Length is < 2 or > 4)
                    throw PySocketException.TypeError("AF_INET6 address must be a tuple (host, port[, flowinfo[, scopeid]])");
                string host = PyArgs.HostArg(items[0]);
                int port = Port(items[1], caller);
                uint flowinfo = items.Length > 2 ? PyArgs.AsUIntMask(items[2]) : 0;
                uint scopeId = items.Length > 3 ? PyArgs.AsUIntMask(items[3]) : 0;
                var ip = SetIpAddr(host, AF_INET6);
                port = PortInRange(port, caller);
                if (flowinfo > 0xfffff) throw PySocketException.Overflow($"{caller}(): flowinfo must be 0-1048575.");
                // CPython overwrites any "%scope" of the host with the tuple's scope id (default 0).
                var v6 = new IPAddress(ip.GetAddressBytes(), scopeId);
                // flowinfo has no place in IPEndPoint; CPython passes it to the kernel, which ignores it for
                // unlabelled flows, so dropping it only loses the value, not behaviour.
                return new IPEndPoint(v6, port);
            }
            default:
                throw PySocketException.OSErrorMessage("getsockaddrarg: bad family");
        }
    }

    /// <summary>The "i" port of getsockaddrarg: a C int (CPython's range message for an overflow); range checked later.</summary>
    static int Port(object? value, string caller)
    {
        if (!PyArgs.TryInt(value, out BigInteger port)) throw PyArgs.NotAnInteger(value);
        if (port < int.MinValue || port > int.MaxValue) throw PySocketException.Overflow($"{caller}(): port must be 0-65535.");
        return (int)port;
    }

    static int PortInRange(int port, string caller) =>
        port is >= 0 and <= 0xffff ? port : throw PySocketException.Overflow($"{caller}(): port must be 0-65535.");

    /// <summary>
    /// CPython's setipaddr: "" is the wildcard, "&lt;broadcast&gt;" and "255.255.255.255" INADDR_BROADCAST, strict
    /// numeric forms short-cut, everything else goes through getaddrinfo. <paramref name="af"/> may be AF_UNSPEC.
    /// </summary>
    internal static IPAddress SetIpAddr(string name, int af)
    {
        if (name.Length == 0)
        {
            var wild = Resolver.GetAddrInfo(null, "0", af, SOCK_DGRAM, 0, AI_PASSIVE);
            if (wild.Count > 1) throw PySocketException.OSErrorMessage("wildcard resolved to multiple address");
            return wild[0].Address;
        }
        if (name is "255.255.255.255" or "<broadcast>")
        {
            if (af != AF_INET && af != AF_UNSPEC) throw PySocketException.OSErrorMessage("address family mismatched");
            return IPAddress.Broadcast;
        }
        if ((af is AF_UNSPEC or AF_INET) && InetText.PtonV4(name) is { } v4) return new IPAddress(v4);
        if ((af is AF_UNSPEC or AF_INET6) && InetText.PtonV6(name) is { } v6) return new IPAddress(v6);
        return Resolver.GetAddrInfo(name, null, af, 0, 0, 0)[0].Address;
    }

    /// <summary>
    /// CPython's makesockaddr: AF_INET gives (host, port); AF_INET6 gives (host, port, flowinfo, scope_id) with the
    /// host printed without "%scope". An IPv4-mapped address on an AF_INET socket reads as the plain dotted quad;
    /// an IPv4 endpoint on an AF_INET6 socket (a .NET dual-stack artefact) reads as its mapped form. A null
    /// endpoint reads as the unbound wildcard, as getsockname on an unbound socket does.
    /// </summary>
    public static object[] ToTuple(EndPoint? ep, int family)
    {
        var ip = ep as IPEndPoint;
        if (ip is null)
            return family == AF_INET6 ? ["::", 0, 0, 0] : ["0.0.0.0", 0];
        var addr = ip.Address;
        if (family == AF_INET && addr.IsIPv4MappedToIPv6) addr = addr.MapToIPv4();
        if (family == AF_INET6 && addr.AddressFamily == AddressFamily.InterNetwork) addr = addr.MapToIPv6();
        if (addr.AddressFamily == AddressFamily.InterNetwork) return [InetText.Ntop(addr), ip.Port];
        // scope_id is a C unsigned int: an int when it fits, a long above int.MaxValue.
        object scope = addr.ScopeId <= int.MaxValue ? (object)(int)addr.ScopeId : addr.ScopeId;
        return [InetText.Ntop(addr), ip.Port, 0, scope];
    }

    /// <summary>The Python type name of a value as it arrives from a binding, for "... not X" messages.</summary>
    internal static string PyTypeName(object? v) => v switch
    {
        null => "NoneType",
        bool => "bool",
        string => "str",
        byte[] => "bytes",
        int or long or BigInteger or short or sbyte or byte or ushort or uint or ulong => "int",
        double or float => "float",
        OpaqueValue o => o.TypeName,
        object?[] or ITuple => "tuple",
        IDictionary => "dict",
        IList => "list",
        _ => v.GetType().Name,
    };
}
