using System.Text.RegularExpressions;

namespace Netty.PySocket.Host.Conformance;

/// <summary>
/// Known gaps: test-id glob pattern -> reason. Only used to group failures under a readable cause in the report;
/// the headline numbers count every native pass, matched or not.
/// File format (interop/harness/manifest.txt): one <c>PATTERN | reason</c> per line, '#' comments. PATTERN is a
/// glob over the full test id (e.g. <c>test.test_socket.*UnixStream*</c>); the first matching line wins.
/// </summary>
public sealed class Manifest
{
    readonly List<(string Pattern, Regex Regex, string Reason)> entries = [];

    public IReadOnlyList<(string Pattern, Regex Regex, string Reason)> Entries => entries;

    public static Manifest Load(string path)
    {
        var m = new Manifest();
        if (!File.Exists(path)) return m;
        foreach (var raw in File.ReadAllLines(path))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            int bar = line.IndexOf(" | ", StringComparison.Ordinal);
            if (bar < 0) continue;
            string pattern = line[..bar].Trim();
            string reason = line[(bar + 3)..].Trim();
            string regex = "^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$";
            m.entries.Add((pattern, new Regex(regex, RegexOptions.CultureInvariant), reason));
        }
        return m;
    }

    public string? ReasonFor(string testId) => entries.FirstOrDefault(e => e.Regex.IsMatch(testId)).Reason;
}
