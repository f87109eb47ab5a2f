namespace Netty.PySocket.Net;

/// <summary>One /etc/services line.</summary>
internal sealed record ServiceEntry(string Name, int Port, string Protocol, string[] Aliases);

/// <summary>glibc's "files" services backend over /etc/services: case-sensitive, first match wins.</summary>
internal static class ServicesDb
{
    /// <summary>The services file path.</summary>
    internal static string Path { get; set; } = "/etc/services";

    static IEnumerable<ServiceEntry> Entries()
    {
        foreach (var t in NetDbFile.Lines(Path))
        {
            if (t.Length < 2) continue;
            int slash = t[1].IndexOf('/');
            if (slash <= 0 || !int.TryParse(t[1].AsSpan(0, slash), out int port) || port is < 0 or > 65535) continue;
            yield return new ServiceEntry(t[0], port, t[1][(slash + 1)..], t[2..]);
        }
    }

    /// <summary>getservbyname(name, proto); <paramref name="proto"/> null matches any protocol.</summary>
    public static ServiceEntry? ByName(string name, string? proto) =>
        Entries().FirstOrDefault(e => (proto is null || e.Protocol == proto)
                                      && (e.Name == name || e.Aliases.Contains(name)));

    /// <summary>getservbyport(port, proto); <paramref name="proto"/> null matches any protocol.</summary>
    public static ServiceEntry? ByPort(int port, string? proto) =>
        Entries().FirstOrDefault(e => e.Port == port && (proto is null || e.Protocol == proto));
}
