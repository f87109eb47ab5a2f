using System.Net;
using System.Net.Sockets;
using Netty.PySocket.Errors;
using static Netty.PySocket.Net.SocketConstants;

namespace Netty.PySocket.Net;

/// <summary><c>socket.gethostname</c>, <c>gethostbyname</c>, <c>gethostbyname_ex</c> and <c>gethostbyaddr</c>.</summary>
public static class HostNames
{
    /// <summary>
    /// <c>socket.sethostname(name)</c>: sets the kernel's node name from the name's bytes (the binding encodes a str
    /// with the file-system encoding, as CPython's PyUnicode_FSConverter). EPERM without CAP_SYS_ADMIN, EINVAL when too long.
    /// </summary>
    public static void SetHostName(byte[] name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Socket.LibC.SetHostName(name, (nuint)name.Length) != 0)
            throw PySocketException.OSError(System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
    }

    /// <summary><c>socket.gethostname()</c>: the kernel's node name.</summary>
    public static string GetHostName()
    {
        try
        {
            return Dns.GetHostName();
        }
        catch (SocketException e)
        {
            throw ErrorTable.Translate(e);
        }
    }

    /// <summary><c>socket.gethostbyname(name)</c>: the dotted-quad IPv4 address.</summary>
    public static string GetHostByName(object? hostname)
    {
        string name = PyArgs.EncodedStringArg(hostname, "gethostbyname");
        return InetText.Ntop(SockAddr.SetIpAddr(name, AF_INET));
    }

    /// <summary><c>socket.gethostbyname_ex(name)</c>: <c>{hostname, aliaslist, ipaddrlist}</c>.</summary>
    public static object[] GetHostByNameEx(object? hostname)
    {
        string name = PyArgs.EncodedStringArg(hostname, "gethostbyname_ex");
        SockAddr.SetIpAddr(name, AF_INET);
        return GetHostByNameR(name);
    }

    /// <summary>glibc gethostbyname_r(name) through digits-and-dots, /etc/hosts ("multi on") and DNS.</summary>
    static object[] GetHostByNameR(string name)
    {
        if (name.Length == 0) throw GaiErrors.H(3); // NO_RECOVERY, as glibc answers for ""
        if (name.All(c => char.IsAsciiDigit(c) || c == '.'))
        {
            var a = InetText.Aton(name) ?? throw GaiErrors.H(1);
            return [name, new List<object>(), new List<object> { InetText.NtopV4(a) }];
        }
        // Not found anywhere: HOST_NOT_FOUND. (CPython reports the thread's h_errno, which glibc may leave stale
        // for some names such as "::ffff:127.0.0.1"; the code it would report is 1 when nothing came before.)

        var hits = HostsDb.ByName(name, AddressFamily.InterNetwork);
        if (hits.Count > 0)
        {
            string canon = hits[0].Name;
            var aliases = hits.SelectMany(h => h.Aliases.Prepend(h.Name)).Where(n => n != canon).Distinct().Cast<object>().ToList();
            var addrs = hits.Select(h => InetText.Ntop(h.Address)).Distinct().Cast<object>().ToList();
            return [canon, aliases, addrs];
        }
        // .NET would reverse-resolve a literal it parses ("0x7f.1"); glibc sends it to DNS, which fails.
        if (IPAddress.TryParse(name, out _)) throw GaiErrors.H(1);
        try
        {
            var e = Dns.GetHostEntry(name, AddressFamily.InterNetwork);
            return [e.HostName, e.Aliases.Cast<object>().ToList(),
                e.AddressList.Select(InetText.Ntop).Cast<object>().ToList()];
        }
        catch (Exception ex) when (ex is SocketException or ArgumentException)
        {
            throw GaiErrors.H(1);
        }
    }

    /// <summary><c>socket.gethostbyaddr(ip_address)</c>: <c>{hostname, aliaslist, ipaddrlist}</c>.</summary>
    public static object[] GetHostByAddr(object? ipAddress)
    {
        string name = PyArgs.EncodedStringArg(ipAddress, "gethostbyaddr");
        var addr = SockAddr.SetIpAddr(name, AF_UNSPEC);
        if (HostsDb.ByAddress(addr) is { } hit)
            return [hit.Name, hit.Aliases.Cast<object>().ToList(), new List<object> { InetText.Ntop(hit.Address) }];
        var dns = AddressInfo.ReverseDns(addr) ?? throw GaiErrors.H(1);
        return [dns, new List<object>(), new List<object> { InetText.Ntop(addr) }];
    }
}
