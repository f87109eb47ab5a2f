using System.Net;
using System.Net.Sockets;

namespace Netty.PySocket.Net;

/// <summary>One /etc/hosts line: an address, its canonical name and aliases.</summary>
internal sealed record HostEntry(IPAddress Address, string Name, string[] Aliases);

/// <summary>
/// glibc's "files" hosts backend over /etc/hosts, read on every call as glibc does. Names match case-insensitively;
/// by-name lookups return every matching line ("multi on"), by-address lookups the first.
/// </summary>
internal static class HostsDb
{
    /// <summary>The hosts file path (a test seam; glibc always reads /etc/hosts).</summary>
    internal static string Path { get; set; } = "/etc/hosts";

    /// <summary>All parsable lines in file order.</summary>
    public static List<HostEntry> Entries()
    {
        var result = new List<HostEntry>();
        foreach (var t in NetDbFile.Lines(Path))
        {
            if (t.Length < 2) continue;
            IPAddress? addr = InetText.PtonV4(t[0]) is { } v4 ? new IPAddress(v4)
                : InetText.PtonV6(t[0]) is { } v6 ? new IPAddress(v6) : null;
            if (addr is null) continue;
            result.Add(new HostEntry(addr, t[1], t[2..]));
        }
        return result;
    }

    /// <summary>Lines naming <paramref name="name"/> with an address of <paramref name="family"/> (null: any).</summary>
    public static List<HostEntry> ByName(string name, AddressFamily? family) =>
        Entries().Where(e => (family is null || e.Address.AddressFamily == family)
                             && (string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase)
                                 || e.Aliases.Any(a => string.Equals(a, name, StringComparison.OrdinalIgnoreCase))))
                 .ToList();

    /// <summary>The first line for an address (compared without scope), or null.</summary>
    public static HostEntry? ByAddress(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return Entries().FirstOrDefault(e => e.Address.GetAddressBytes().AsSpan().SequenceEqual(bytes));
    }
}
