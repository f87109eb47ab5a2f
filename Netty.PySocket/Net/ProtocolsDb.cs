namespace Netty.PySocket.Net;

/// <summary>glibc's "files" protocols backend over /etc/protocols: names and aliases, case-sensitive.</summary>
internal static class ProtocolsDb
{
    /// <summary>The protocols file path.</summary>
    internal static string Path { get; set; } = "/etc/protocols";

    /// <summary>getprotobyname: the protocol number, or null.</summary>
    public static int? ByName(string name)
    {
        foreach (var t in NetDbFile.Lines(Path))
        {
            if (t.Length < 2 || !int.TryParse(t[1], out int number)) continue;
            if (t[0] == name || t.AsSpan(2).Contains(name)) return number;
        }
        return null;
    }
}
