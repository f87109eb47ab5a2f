using System.Text;

namespace Netty.PySocket.Benchmarks.Soak;

/// <summary>artifacts/reliability/report.md: one summary row per scenario, then its figures and PASS/FAIL lines.</summary>
public static class SoakReport
{
    public static void Write(string path, Options opts, List<SoakResult> results, (ulong Before, ulong Now, ulong Hard) fd, TimeSpan elapsed)
    {
        results = results.OrderBy(r => r.Suite, StringComparer.Ordinal).ToList();
        var sb = new StringBuilder();
        bool ok = results.Count > 0 && results.All(r => r.Passed);
        sb.AppendLine("# Netty.PySocket reliability soak");
        sb.AppendLine();
        sb.AppendLine($"Mode: **{(opts.Quick ? "quick" : "full")}**, {Environment.ProcessorCount} cores, " +
                      $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, " +
                      $"took {elapsed:mm\\:ss}. Loopback only. RLIMIT_NOFILE: soft {fd.Before} raised to {fd.Now} (hard {fd.Hard}). " +
                      $"Event-loop threads: {Runtime.PySocketRuntime.EventLoopThreads}.");
        sb.AppendLine();
        sb.AppendLine($"**Result: {(ok ? "PASS" : "FAIL")}** — {results.Count(r => r.Passed)}/{results.Count} scenarios passed, " +
                      $"leaks found: **{results.Sum(r => r.LeaksFound)}**.");
        sb.AppendLine();
        sb.AppendLine("| suite | scenario | connections held | bytes moved and verified | faults injected / survived | inputs tried | leaks found | time | result |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in results)
            sb.AppendLine($"| {r.Suite} | {r.Name} | {r.ConnectionsHeld:N0} | {r.BytesVerified:N0} | {r.FaultsInjected:N0} / {r.FaultsSurvived:N0} | " +
                          $"{r.InputsTried:N0} | {r.LeaksFound} | {r.Elapsed.TotalSeconds:0} s | {(r.Passed ? "PASS" : "FAIL")} |");
        sb.AppendLine();
        foreach (var r in results)
        {
            sb.AppendLine($"## {r.Suite}: {r.Name}");
            sb.AppendLine();
            foreach (var (what, value) in r.Figures) sb.AppendLine($"* {what}: {value}");
            sb.AppendLine();
            sb.AppendLine("```");
            foreach (var c in r.Checks) sb.AppendLine(c.Line);
            sb.AppendLine("```");
            sb.AppendLine();
        }
        sb.AppendLine("What each scenario does and the limits that apply: `design/reliability.md` (section \"Soak runner\").");
        AppendXunitFigures(sb, Path.Combine(Path.GetDirectoryName(path)!, "xunit-figures.md"));
        File.WriteAllText(path, sb.ToString());
    }

    /// <summary>
    /// The fast suites run under `dotnet test` (faults, bad input, sequences, unobserved task exceptions) and leave their
    /// figures next to this report; quoted so one file holds every reliability figure.
    /// </summary>
    static void AppendXunitFigures(StringBuilder sb, string figures)
    {
        sb.AppendLine();
        sb.AppendLine("## xUnit reliability suites (from the last `dotnet test` run)");
        sb.AppendLine();
        if (!File.Exists(figures))
        {
            sb.AppendLine("Not available: run `dotnet test NettyPySocket.sln -c Release` first (it writes `xunit-figures.md` here).");
            return;
        }
        foreach (string line in File.ReadLines(figures).SkipWhile(l => l.StartsWith("# ", StringComparison.Ordinal)))
            sb.AppendLine(line);
    }
}
