using System.Diagnostics;
using Netty.PySocket.Runtime;

namespace Netty.PySocket.Benchmarks.Soak;

/// <summary>
/// <c>--soak</c>: the long reliability runs of issue 8 (loopback only, bounded in time), one scenario per file,
/// summary in artifacts/reliability/report.md. Scenarios that kill the shared event-loop group or time process
/// exit run in a child process (<see cref="SoakChildren"/>).
/// </summary>
public static class SoakRunner
{
    public static readonly string[] Names = { "load", "slow", "silent", "shutdown", "leak", "exit" };

    public static int Run(Options opts, string root)
    {
        var total = Stopwatch.StartNew();
        void Say(string s) => Console.WriteLine($"[{total.Elapsed:mm\\:ss}] {s}");
        var (fdBefore, fdLimit, fdHard) = NoFileLimit.RaiseToHard();
        Say($"soak mode: {(opts.Quick ? "quick" : "full")}, cores: {Environment.ProcessorCount}, event-loop threads: {PySocketRuntime.EventLoopThreads}, " +
            $"RLIMIT_NOFILE soft {fdBefore} -> {fdLimit} (hard {fdHard})");
        var unknown = opts.SoakOnly?.Except(Names).ToList();
        if (unknown is { Count: > 0 }) throw new ArgumentException($"unknown soak scenario(s) {string.Join(",", unknown)}; known: {string.Join(",", Names)}");
        bool Want(string n) => opts.SoakOnly is null || opts.SoakOnly.Contains(n);

        using var cert = new TestCertificate();
        var ctx = new SoakContext(opts.Quick, Say, cert, fdLimit);
        var results = new List<SoakResult>();
        // The leak cycles run first, in a process no other scenario has grown yet (the pooled allocator keeps the
        // arenas the 5,000-connection load grew to, which would hide a heap leak under its slow release); the
        // report lists the suites in the issue's order.
        var scenarios = new (string Name, Func<SoakContext, IEnumerable<SoakResult>> Run)[]
        {
            ("leak", LeakScenario.Run),
            ("load", LoadScenario.Run),
            ("slow", SlowPeerScenario.Run),
            ("silent", SilentPeerScenario.Run),
            ("shutdown", GroupShutdownScenario.Run),
            ("exit", ExitScenario.Run),
        };
        foreach (var (name, run) in scenarios)
        {
            if (!Want(name)) continue;
            Say($"{name}...");
            var sw = Stopwatch.StartNew();
            var e = run(ctx).GetEnumerator();
            while (true)
            {
                SoakResult? r;
                try
                {
                    if (!e.MoveNext()) break;
                    r = e.Current;
                }
                catch (Exception ex)
                {
                    r = new SoakResult(name, $"{name} (crashed)");
                    r.Crashed(ex);
                    Say($"  {name} crashed: {ex}");
                    results.Add(r);
                    break;
                }
                r.Elapsed = sw.Elapsed;
                sw.Restart();
                results.Add(r);
                foreach (var c in r.Checks) Say("  " + c.Line);
            }
        }
        var outDir = Path.GetFullPath(opts.Out ?? Path.Combine(root, "artifacts", "reliability"));
        Directory.CreateDirectory(outDir);
        var path = Path.Combine(outDir, "report.md");
        SoakReport.Write(path, opts, results, (fdBefore, fdLimit, fdHard), total.Elapsed);
        bool ok = results.Count > 0 && results.All(r => r.Passed);
        Say($"soak {(ok ? "PASSED" : "FAILED")}: {results.Count(r => r.Passed)}/{results.Count} scenarios, leaks found {results.Sum(r => r.LeaksFound)}; report: {path}");
        PySocketRuntime.Shutdown();
        return ok ? 0 : 1;
    }
}
