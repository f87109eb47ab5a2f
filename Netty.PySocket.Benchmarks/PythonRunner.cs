using System.Diagnostics;
using System.Globalization;

namespace Netty.PySocket.Benchmarks;

/// <summary>Runs a python/ script on one Python implementation and parses its "RESULT key value" lines.</summary>
public sealed class PythonRunner
{
    public PythonRunner(string impl, string exe, string[] prefixArgs)
    {
        Impl = impl; Exe = exe; PrefixArgs = prefixArgs;
    }

    public string Impl { get; }
    public string Exe { get; }
    public string[] PrefixArgs { get; }

    public Dictionary<string, double> Run(string script, IEnumerable<string> args, TimeSpan timeout, List<string> log)
    {
        var psi = new ProcessStartInfo(Exe)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(script)!,
        };
        foreach (var a in PrefixArgs) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        var result = new Dictionary<string, double>();
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            log.Add($"{Impl}: {Path.GetFileName(script)} {string.Join(' ', args)}: timed out after {timeout.TotalSeconds:0} s");
            return result;
        }
        foreach (var line in stdout.Result.Split('\n'))
        {
            var parts = line.Trim().Split(' ');
            if (parts.Length == 3 && parts[0] == "RESULT" &&
                double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                result[parts[1]] = v;
            else if (line.StartsWith("SKIP", StringComparison.Ordinal))
                log.Add($"{Impl}: {Path.GetFileName(script)} {string.Join(' ', args)}: {line.Trim()}");
        }
        if (p.ExitCode != 0 || result.Count == 0)
        {
            var err = stderr.Result.Trim().Split('\n').LastOrDefault(l => l.Trim().Length > 0) ?? "";
            log.Add($"{Impl}: {Path.GetFileName(script)} {string.Join(' ', args)}: exit {p.ExitCode} {err.Trim()}");
        }
        return result;
    }

    public static string? Which(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            var f = Path.Combine(dir, name);
            if (File.Exists(f)) return f;
        }
        return null;
    }
}
