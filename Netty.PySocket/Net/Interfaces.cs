using System.Net.NetworkInformation;
using System.Net.Sockets;
using Netty.PySocket.Errors;

namespace Netty.PySocket.Net;

/// <summary>socket.if_nameindex, if_nametoindex, if_indextoname and has_ipv6.</summary>
public static class Interfaces
{
    /// <summary>Interface (index, name) pairs ordered by index; /sys/class/net on Linux, .NET's view elsewhere.</summary>
    internal static List<(int Index, string Name)> All()
    {
        var list = new List<(int, string)>();
        try
        {
            foreach (var dir in Directory.GetDirectories("/sys/class/net"))
            {
                var name = Path.GetFileName(dir);
                if (int.TryParse(File.ReadAllText(Path.Combine(dir, "ifindex")).Trim(), out int index))
                    list.Add((index, name));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            list.Clear();
        }
        if (list.Count == 0)
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                int index = -1;
                try { index = nic.GetIPProperties().GetIPv4Properties()?.Index ?? -1; }
                catch (NetworkInformationException) { }
                if (index < 0)
                {
                    try { index = nic.GetIPProperties().GetIPv6Properties()?.Index ?? -1; }
                    catch (NetworkInformationException) { }
                }
                if (index > 0) list.Add((index, nic.Name));
            }
        }
        list.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return list;
    }

    /// <summary>if_nametoindex without Python argument handling: 0 when unknown.</summary>
    internal static uint IndexOf(string name) =>
        All().FirstOrDefault(i => i.Name == name) is { Name: not null } hit ? (uint)hit.Index : 0;

    /// <summary>if_indextoname without Python argument handling: null when unknown.</summary>
    internal static string? NameOf(uint index) => All().FirstOrDefault(i => i.Index == index).Name;

    /// <summary><c>socket.if_nameindex()</c>: a list of (index, name) tuples.</summary>
    public static List<object[]> IfNameIndex() => All().Select(i => new object[] { i.Index, i.Name }).ToList();

    /// <summary><c>socket.if_nametoindex(name)</c>; name is str or bytes.</summary>
    public static int IfNameToIndex(object? name)
    {
        string s = name switch
        {
            string str => str,
            byte[] b => System.Text.Encoding.UTF8.GetString(b),
            _ => throw PySocketException.TypeError(
                $"expected str, bytes or os.PathLike object, not {SockAddr.PyTypeName(name)}"),
        };
        if (s.Contains('\0')) throw PySocketException.ValueError("embedded null byte");
        uint index = IndexOf(s);
        if (index == 0) throw PySocketException.OSErrorMessage("no interface with this name");
        return (int)index;
    }

    /// <summary><c>socket.if_indextoname(index)</c>.</summary>
    public static string IfIndexToName(object? index)
    {
        if (!PyArgs.TryInt(index, out var bi)) throw PySocketException.TypeError("an integer is required");
        if (bi < 0) throw PySocketException.Overflow("can't convert negative value to unsigned int");
        if (bi > ulong.MaxValue) throw PySocketException.Overflow("Python int too large to convert to C unsigned long");
        // CPython 3.11 truncates the unsigned long to the C unsigned int if_indextoname takes.
        uint idx = (uint)(bi & uint.MaxValue);
        return NameOf(idx) ?? throw PySocketException.OSError(Errno.ENXIO);
    }

    /// <summary><c>socket.has_ipv6</c>: whether the platform supports IPv6 sockets.</summary>
    public static bool HasIpv6 => System.Net.Sockets.Socket.OSSupportsIPv6;
}
