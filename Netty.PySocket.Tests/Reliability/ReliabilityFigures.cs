using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Netty.PySocket.Tests.Reliability;

/// <summary>
/// Counts what the reliability tests tried (inputs, sequences, faults) and what they measured, and writes them to
/// artifacts/reliability/xunit-figures.md at the end of a run that included them (the soak report quotes this file).
/// </summary>
internal static class ReliabilityFigures
{
    static readonly ConcurrentDictionary<string, long> counts = new();
    static readonly ConcurrentDictionary<string, double> maxima = new();

    /// <summary>Unobserved task exceptions of the whole run (listed in the file: runners show only their type).</summary>
    public static IReadOnlyCollection<Exception> Unobserved { get; set; } = [];

    /// <summary>Adds <paramref name="n"/> to the figure <paramref name="name"/>.</summary>
    public static void Add(string name, long n = 1) => counts.AddOrUpdate(name, n, (_, v) => v + n);

    /// <summary>Keeps the largest value seen for <paramref name="name"/> (e.g. a wake-up latency in ms).</summary>
    public static void Max(string name, double value) => maxima.AddOrUpdate(name, value, (_, v) => Math.Max(v, value));

    public static void WriteIfAnyRecorded()
    {
        if (counts.IsEmpty && maxima.IsEmpty && Unobserved.Count == 0) return;
        string? root = RepoRoot();
        if (root is null) return;
        var md = new StringBuilder();
        md.AppendLine("# xUnit reliability figures");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Written by the xUnit run of {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC (Netty.PySocket.Tests/Reliability, design/reliability.md).");
        md.AppendLine();
        md.AppendLine("| figure | value |");
        md.AppendLine("|---|---|");
        foreach (var kv in counts.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            md.AppendLine(CultureInfo.InvariantCulture, $"| {kv.Key} | {kv.Value:N0} |");
        foreach (var kv in maxima.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            md.AppendLine(CultureInfo.InvariantCulture, $"| {kv.Key} | {kv.Value:0.0} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| unobserved task exceptions, whole assembly (must be 0) | {Unobserved.Count} |");
        foreach (Exception e in Unobserved)
        {
            md.AppendLine().AppendLine("```").AppendLine(e.ToString()).AppendLine("```");
        }
        string dir = Path.Combine(root, "artifacts", "reliability");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "xunit-figures.md"), md.ToString());
    }

    static string? RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "NettyPySocket.sln"))) return d.FullName;
        }
        return null;
    }
}
