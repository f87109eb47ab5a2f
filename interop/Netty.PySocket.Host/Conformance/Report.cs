using System.Text;

namespace Netty.PySocket.Host.Conformance;

/// <summary>The comparison of the two configurations: summary table and every native pass that fails with us, by cause.</summary>
public sealed class Report(
    ConformanceOptions options,
    Manifest manifest,
    Dictionary<(string Config, string Module), ModuleResult> results,
    TimeSpan elapsed,
    PythonInstallation python)
{
    sealed record Row(string Module, ModuleResult? Native, ModuleResult? Ours, int NativePass, int OursPass, int BothPass);

    List<Row> Rows() => options.Modules.Select(m =>
    {
        results.TryGetValue(("native", m.Name), out var n);
        results.TryGetValue(("ours", m.Name), out var o);
        int both = n is null || o is null
            ? 0
            : n.Tests.Values.Count(t => t.Passed && o.Tests.TryGetValue(t.Id, out var ot) && ot.Passed);
        return new Row(m.Name, n, o, n?.Passed ?? 0, o?.Passed ?? 0, both);
    }).ToList();

    static string Ratio(int num, int den) => den == 0 ? "-" : $"{100.0 * num / den:0.0}%";

    public string SummaryTable()
    {
        var sb = new StringBuilder();
        sb.AppendLine("| module | native pass | native skip | native tests | ours pass | ours fail | ours skip | native passes passing with us | ratio |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        var rows = Rows();
        foreach (var r in rows)
        {
            string oursFail = r.Ours is null ? "-" : r.Ours.Failed.ToString();
            if (r.Ours?.Aborted is not null) oursFail += " (aborted)";
            sb.AppendLine($"| {r.Module} | {N(r.Native?.Passed)} | {N(r.Native?.Skipped)} | {N(r.Native?.Tests.Count)} | " +
                          $"{N(r.Ours?.Passed)} | {oursFail} | {N(r.Ours?.Skipped)} | {r.BothPass} | {Ratio(r.BothPass, r.NativePass)} |");
        }
        int np = rows.Sum(r => r.NativePass), bp = rows.Sum(r => r.BothPass);
        sb.AppendLine($"| **total** | {np} | {rows.Sum(r => r.Native?.Skipped ?? 0)} | {rows.Sum(r => r.Native?.Tests.Count ?? 0)} | " +
                      $"{rows.Sum(r => r.OursPass)} | {rows.Sum(r => r.Ours?.Failed ?? 0)} | {rows.Sum(r => r.Ours?.Skipped ?? 0)} | {bp} | **{Ratio(bp, np)}** |");
        return sb.ToString();
    }

    static string N(int? v) => v?.ToString() ?? "-";

    /// <summary>Why a native pass did not pass with us: manifest reason, else exception type + first message line.</summary>
    string Cause(TestModule module, string id, ModuleResult? ours, TestOutcome? o)
    {
        string? known = manifest.ReasonFor(id);
        string observed = o is null || o.Outcome == "notrun"
            ? "not run: " + (ours?.Aborted ?? (ours is null ? "configuration not run" : "run ended before this test"))
            : o.Outcome switch
            {
                "timeout" => "hang: " + o.Message,
                "crash" => "crash: " + o.Message,
                "skip" => "skipped with us: " + FirstLine(o.Message),
                "xpass" => "unexpected success",
                _ => $"{o.Type}: {FirstLine(o.Message)}".TrimEnd(' ', ':'),
            };
        return known is null ? observed : $"[manifest] {known}";
    }

    static string FirstLine(string s)
    {
        int nl = s.IndexOf('\n');
        string line = (nl < 0 ? s : s[..nl]).Trim();
        return line.Length > 200 ? line[..200] + "..." : line;
    }

    public string Markdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Netty.PySocket conformance report");
        sb.AppendLine();
        sb.AppendLine($"CPython's own test modules (`test` package of {python.Executable}, Python {python.Version}), run unmodified in two configurations:");
        sb.AppendLine("**native** (`python3`, regrtest) and **ours** (the same interpreter embedded in .NET via pythonnet, with");
        sb.AppendLine("Netty.PySocket's `_socket`/`select` installed before any test module is imported). VSOCK tests are excluded in both.");
        sb.AppendLine($"Generated {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC in {elapsed:hh\\:mm\\:ss}; per-test timeout {options.TestTimeout.TotalSeconds:0} s.");
        sb.AppendLine();
        sb.AppendLine("The ratio is (native passes that also pass with us) / (native passes). The manifest of known gaps only labels causes");
        sb.AppendLine("below; it never removes a failure from the counts.");
        sb.AppendLine();
        sb.AppendLine("## Summary");
        sb.AppendLine();
        sb.Append(SummaryTable());
        sb.AppendLine();

        var aborted = results.Values.Where(r => r.Aborted is not null || r.Restarts > 0).OrderBy(r => r.Module).ToList();
        if (aborted.Count > 0)
        {
            sb.AppendLine("## Runs that did not complete cleanly");
            sb.AppendLine();
            foreach (var r in aborted)
                sb.AppendLine($"- {r.Config} {r.Module}: {(r.Aborted ?? "completed")}{(r.Restarts > 0 ? $" ({r.Restarts} restart(s) after hang/crash)" : "")} - log `{Path.GetRelativePath(options.OutputDirectory, r.LogPath)}`");
            sb.AppendLine();
        }

        // Every native pass that does not pass with us, grouped by cause.
        var groups = new Dictionary<string, List<string>>();
        var betterThanNative = new List<string>();
        foreach (var module in options.Modules)
        {
            results.TryGetValue(("native", module.Name), out var native);
            results.TryGetValue(("ours", module.Name), out var ours);
            if (native is null || ours is null) continue;
            foreach (var t in native.Tests.Values.OrderBy(t => t.Id, StringComparer.Ordinal))
            {
                ours.Tests.TryGetValue(t.Id, out var o);
                if (t.Passed && o is { Passed: true }) continue;
                if (!t.Passed)
                {
                    if (o is { Passed: true }) betterThanNative.Add($"{t.Id} (native: {t.Outcome})");
                    continue;
                }
                string cause = Cause(module, t.Id, ours, o);
                if (!groups.TryGetValue(cause, out var list)) groups[cause] = list = [];
                list.Add(t.Id);
            }
        }

        sb.AppendLine($"## Native passes that fail with us ({groups.Values.Sum(g => g.Count)}), by cause");
        sb.AppendLine();
        if (groups.Count == 0) sb.AppendLine("None.");
        foreach (var (cause, ids) in groups.OrderByDescending(g => g.Value.Count).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            sb.AppendLine($"### {ids.Count} - {Escape(cause)}");
            sb.AppendLine();
            foreach (var id in ids) sb.AppendLine($"- `{id}`");
            sb.AppendLine();
        }

        if (betterThanNative.Count > 0)
        {
            sb.AppendLine($"## Pass with us but not natively ({betterThanNative.Count})");
            sb.AppendLine();
            foreach (var s in betterThanNative) sb.AppendLine($"- `{s}`");
            sb.AppendLine();
        }

        if (manifest.Entries.Count > 0)
        {
            sb.AppendLine("## Manifest of known gaps");
            sb.AppendLine();
            sb.AppendLine("| pattern | reason |");
            sb.AppendLine("|---|---|");
            foreach (var (pattern, _, reason) in manifest.Entries) sb.AppendLine($"| `{pattern}` | {Escape(reason)} |");
            sb.AppendLine();
        }

        sb.AppendLine("## Files");
        sb.AppendLine();
        sb.AppendLine("- JUnit XML: `junit/native/<module>.xml`, `junit/ours/<module>.xml` (test ids as `python -m test --junit-xml` writes them)");
        sb.AppendLine("- Raw output of every run: `logs/native/<module>.log`, `logs/ours/<module>.log`");
        return sb.ToString();
    }

    static string Escape(string s) => s.Replace("|", "\\|").Replace("\r", " ").Replace("\n", " ");
}
