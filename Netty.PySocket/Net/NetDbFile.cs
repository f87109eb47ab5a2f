namespace Netty.PySocket.Net;

/// <summary>Reads the whitespace-separated, '#'-commented line format shared by /etc/hosts, services and protocols.</summary>
internal static class NetDbFile
{
    /// <summary>The non-empty lines of a netdb file as token arrays; an unreadable file reads as empty (glibc's files backend does the same).</summary>
    public static IEnumerable<string[]> Lines(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }
        foreach (var raw in lines)
        {
            int hash = raw.IndexOf('#');
            var line = hash >= 0 ? raw[..hash] : raw;
            var tokens = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length > 0) yield return tokens;
        }
    }
}
