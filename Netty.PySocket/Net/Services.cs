using Netty.PySocket.Errors;

namespace Netty.PySocket.Net;

/// <summary><c>socket.getservbyname</c>, <c>getservbyport</c> and <c>getprotobyname</c> over /etc/services and /etc/protocols.</summary>
public static class Services
{
    /// <summary><c>socket.getservbyname(servicename)</c>: the port of the first entry with any protocol.</summary>
    public static int GetServByName(object? serviceName) => ServByName(PyArgs.StrArg(serviceName, "getservbyname", 1), null);

    /// <summary><c>socket.getservbyname(servicename, protocolname)</c>.</summary>
    public static int GetServByName(object? serviceName, object? protocolName) =>
        ServByName(PyArgs.StrArg(serviceName, "getservbyname", 1), PyArgs.StrArg(protocolName, "getservbyname", 2));

    static int ServByName(string name, string? proto) =>
        ServicesDb.ByName(name, proto)?.Port ?? throw PySocketException.OSErrorMessage("service/proto not found");

    /// <summary><c>socket.getservbyport(port)</c>: the service name of the first entry with any protocol.</summary>
    public static string GetServByPort(object? port) => ServByPort(port, null, false);

    /// <summary><c>socket.getservbyport(port, protocolname)</c>.</summary>
    public static string GetServByPort(object? port, object? protocolName) => ServByPort(port, protocolName, true);

    static string ServByPort(object? port, object? protocolName, bool hasProto)
    {
        int p = PyArgs.AsCInt(port);
        string? proto = hasProto ? PyArgs.StrArg(protocolName, "getservbyport", 2) : null;
        if (p is < 0 or > 0xffff) throw PySocketException.Overflow("getservbyport: port must be 0-65535.");
        return ServicesDb.ByPort(p, proto)?.Name ?? throw PySocketException.OSErrorMessage("port/proto not found");
    }

    /// <summary><c>socket.getprotobyname(protocolname)</c>.</summary>
    public static int GetProtoByName(object? protocolName) =>
        ProtocolsDb.ByName(PyArgs.StrArg(protocolName, "getprotobyname", 1))
        ?? throw PySocketException.OSErrorMessage("protocol not found");
}
