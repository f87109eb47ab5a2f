using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Netty.PySocket.Host.Conformance;

/// <summary>
/// <c>conformance</c>: runs each module natively (<c>python3</c>, regrtest) and with our modules (this host in a child
/// process, embedded CPython with the binding installed), then writes JUnit XML per module and configuration and
/// artifacts/conformance/report.md, and prints the summary.
/// </summary>
public static partial class ConformanceCommand
{
    public static int Run(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(ConformanceOptions.Help);
            return 0;
        }
        ConformanceOptions options;
        try { options = ConformanceOptions.Parse(args); }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(ConformanceOptions.Help);
            return 2;
        }

        var python = PythonInstallation.Locate();
        var manifest = Manifest.Load(options.ManifestPath);
        Directory.CreateDirectory(options.OutputDirectory);
        string workDir = Path.Combine(options.OutputDirectory, "work");
        Directory.CreateDirectory(workDir);
        var total = Stopwatch.StartNew();
        var consoleLock = new object();

        Console.WriteLine($"conformance: {options.Modules.Count} module(s) [{string.Join(", ", options.Modules.Select(m => m.Name))}]");
        Console.WriteLine($"  native: {python.Executable} {python.Version}");
        Console.WriteLine($"  ours:   {HostCommand().First()} run (libpython {python.LibPython}, binding {EmbeddedPython.BindingDirectory})");
        Console.WriteLine($"  output: {options.OutputDirectory}   per-test timeout: {options.TestTimeout.TotalSeconds:0} s");

        void Progress(ModuleResult r, string? note)
        {
            lock (consoleLock)
            {
                Console.WriteLine($"[{total.Elapsed:hh\\:mm\\:ss}] {r.Config,-6} {r.Module}: {r.Tests.Count} done " +
                                  $"({r.Passed} pass, {r.Failed} fail, {r.Skipped} skip){(note is null ? "" : " - " + note)}");
            }
        }

        ProcessStartInfo Native(IReadOnlyList<string> a)
        {
            var psi = new ProcessStartInfo(python.Executable);
            foreach (var x in a) psi.ArgumentList.Add(x);
            return psi;
        }

        ProcessStartInfo Ours(IReadOnlyList<string> a)
        {
            var cmd = HostCommand();
            var psi = new ProcessStartInfo(cmd[0]);
            foreach (var x in cmd.Skip(1)) psi.ArgumentList.Add(x);
            psi.ArgumentList.Add("run");
            foreach (var x in a) psi.ArgumentList.Add(x);
            return psi;
        }

        var results = new Dictionary<(string Config, string Module), ModuleResult>();
        void Lane(string config, Func<IReadOnlyList<string>, ProcessStartInfo> make)
        {
            var runner = new ModuleRunner(options, config, make) { Progress = Progress };
            foreach (var module in options.Modules)
            {
                Progress(new ModuleResult { Module = module.Name, Config = config }, "starting");
                var r = runner.Run(module, workDir);
                if (r.Tests.Count == 0 && r.Aborted is null)
                    r.Aborted = "no tests ran: " + LastErrorLine(r.LogPath);
                lock (results) results[(config, module.Name)] = r;
                Progress(r, $"finished in {r.Elapsed:mm\\:ss}{(r.Restarts > 0 ? $", {r.Restarts} restart(s)" : "")}{(r.Aborted is null ? "" : ", aborted: " + r.Aborted)}");
            }
        }

        var lanes = new List<(string, Func<IReadOnlyList<string>, ProcessStartInfo>)>();
        if (options.RunNative) lanes.Add(("native", Native));
        if (options.RunOurs) lanes.Add(("ours", Ours));
        if (options.Sequential)
        {
            foreach (var (c, m) in lanes) Lane(c, m);
        }
        else
        {
            var threads = lanes.Select(l => new Thread(() => Lane(l.Item1, l.Item2)) { Name = l.Item1 }).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
        }

        // Tests that ran natively but never ran with us (import error, abort) count as failures of ours.
        foreach (var module in options.Modules)
        {
            if (!results.TryGetValue(("native", module.Name), out var native) || !results.TryGetValue(("ours", module.Name), out var ours)) continue;
            foreach (var t in native.Tests.Values)
                if (!ours.Tests.ContainsKey(t.Id))
                    ours.Tests[t.Id] = new TestOutcome { Id = t.Id, Outcome = "notrun", Type = "NotRun", Message = ours.Aborted ?? "run ended before this test" };
        }
        foreach (var r in results.Values)
            JUnit.Write(r, Path.Combine(options.OutputDirectory, "junit", r.Config, r.Module + ".xml"));

        var report = new Report(options, manifest, results, total.Elapsed, python);
        string reportPath = Path.Combine(options.OutputDirectory, "report.md");
        File.WriteAllText(reportPath, report.Markdown());
        Console.WriteLine();
        Console.WriteLine(report.SummaryTable());
        Console.WriteLine($"report: {reportPath}");
        Console.WriteLine($"junit:  {Path.Combine(options.OutputDirectory, "junit")}/{{native,ours}}/<module>.xml");
        foreach (var (config, _) in lanes)
        {
            var rs = results.Where(kv => kv.Key.Config == config).Select(kv => kv.Value).ToList();
            int abortedRuns = rs.Count(r => r.Aborted is not null);
            Console.WriteLine($"{config}: {rs.Sum(r => r.Passed)} passed, {rs.Sum(r => r.Failed)} failed, {rs.Sum(r => r.Skipped)} skipped" +
                              (abortedRuns > 0 ? $" ({abortedRuns} module run(s) aborted)" : ""));
        }
        return 0;
    }

    /// <summary>The command line that starts this host again (apphost, or <c>dotnet Host.dll</c>).</summary>
    static List<string> HostCommand()
    {
        string self = Environment.ProcessPath ?? "dotnet";
        string dll = typeof(ConformanceCommand).Assembly.Location;
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            return [self, dll];
        return [self];
    }

    static string LastErrorLine(string logPath)
    {
        try
        {
            var lines = File.ReadAllLines(logPath);
            var hit = lines.LastOrDefault(l => ErrorLine().IsMatch(l));
            return hit?.Trim() ?? "see " + logPath;
        }
        catch (IOException) { return "see " + logPath; }
    }

    [GeneratedRegex(@"^\s*([\w.]+(Error|Exception|Exit)|Fatal Python error)\b")]
    private static partial Regex ErrorLine();
}
