using System.Diagnostics;
using System.Text.Json;

namespace Netty.PySocket.Host.Conformance;

/// <summary>The outcome of one test id in one configuration.</summary>
public sealed class TestOutcome
{
    public required string Id { get; init; }
    /// <summary>pass, fail, error, skip, xfail, xpass, timeout, crash, notrun.</summary>
    public required string Outcome { get; set; }
    public string Type { get; set; } = "";
    public string Message { get; set; } = "";
    public string Traceback { get; set; } = "";
    public double Seconds { get; set; }

    public bool Passed => Outcome is "pass" or "xfail";
    public bool Skipped => Outcome == "skip";
    public bool Failed => !Passed && !Skipped;
}

/// <summary>Everything one configuration produced for one module.</summary>
public sealed class ModuleResult
{
    public required string Module { get; init; }
    public required string Config { get; init; }
    public Dictionary<string, TestOutcome> Tests { get; } = new(StringComparer.Ordinal);
    /// <summary>Why the run stopped early (module import error, unrecoverable hang...), if it did.</summary>
    public string? Aborted { get; set; }
    public int Restarts { get; set; }
    public TimeSpan Elapsed { get; set; }
    public string LogPath { get; set; } = "";

    public int Passed => Tests.Values.Count(t => t.Passed);
    public int Skipped => Tests.Values.Count(t => t.Skipped);
    public int Failed => Tests.Values.Count(t => t.Failed);
}

/// <summary>
/// Runs one module in one configuration as a child process (regrtest via harness/regrtest_runner.py), reading the
/// streamed results. A watchdog kills the child when a test gives no result within the per-test timeout; a killed or
/// crashed child is restarted with everything already recorded excluded, so one hang/crash costs one test.
/// </summary>
public sealed class ModuleRunner(ConformanceOptions options, string config, Func<IReadOnlyList<string>, ProcessStartInfo> makeProcess)
{
    const int MaxRestarts = 40;
    const int MaxConsecutiveHangs = 3;

    public Action<ModuleResult, string?>? Progress { get; set; }

    public ModuleResult Run(TestModule module, string workDir)
    {
        var result = new ModuleResult { Module = module.Name, Config = config };
        var watch = Stopwatch.StartNew();
        string safe = module.Name.Replace('/', '_');
        string logDir = Path.Combine(options.OutputDirectory, "logs", config);
        Directory.CreateDirectory(logDir);
        result.LogPath = Path.Combine(logDir, safe + ".log");
        File.WriteAllText(result.LogPath, "");
        string events = Path.Combine(workDir, $"{config}-{safe}.events.jsonl");
        string ignoreFile = Path.Combine(workDir, $"{config}-{safe}.ignore.txt");

        int consecutiveHangs = 0;
        for (int attempt = 0; ; attempt++)
        {
            int before = result.Tests.Count;
            File.WriteAllText(events, "");
            var args = new List<string> { Path.Combine(EmbeddedPython.HarnessDirectory, "regrtest_runner.py"), events, "--", module.Name };
            args.AddRange(module.ExtraArgs);
            foreach (var m in module.Matches.Concat(options.Matches)) { args.Add("-m"); args.Add(m); }
            foreach (var ign in ConformanceOptions.AlwaysIgnored.Concat(options.Ignores)) { args.Add("-i"); args.Add(ign); }
            if (result.Tests.Count > 0)
            {
                File.WriteAllLines(ignoreFile, result.Tests.Keys);
                args.Add("--ignorefile");
                args.Add(ignoreFile);
            }

            var (state, detail, progressed) = RunOnce(result, makeProcess(args), events, attempt);
            if (state == RunState.Completed) break;
            // Several tests in a row hanging means the module cannot make progress (e.g. every test needs a
            // feature that blocks forever): stop instead of paying the timeout for each remaining test.
            consecutiveHangs = state == RunState.Hung && result.Tests.Count - before <= 1 ? consecutiveHangs + 1 : 0;
            if (consecutiveHangs >= MaxConsecutiveHangs)
            {
                result.Aborted = $"{MaxConsecutiveHangs} consecutive tests hung (last: {detail})";
                break;
            }
            if (!progressed || attempt >= MaxRestarts)
            {
                result.Aborted = detail + (progressed ? $" (gave up after {attempt + 1} restarts)" : "");
                break;
            }
            result.Restarts++;
            Progress?.Invoke(result, $"restarting after {detail}");
        }

        result.Elapsed = watch.Elapsed;
        return result;
    }

    enum RunState { Completed, Crashed, Hung }

    (RunState, string, bool) RunOnce(ModuleResult result, ProcessStartInfo psi, string eventsPath, int attempt)
    {
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.RedirectStandardInput = true;
        psi.UseShellExecute = false;
        using var log = new StreamWriter(result.LogPath, append: true) { AutoFlush = true };
        log.WriteLine($"=== attempt {attempt + 1}: {psi.FileName} {string.Join(' ', psi.ArgumentList)}");
        var logLock = new object();
        var stderrTail = new Queue<string>();

        using var proc = new Process { StartInfo = psi };
        proc.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (logLock) log.WriteLine(e.Data); };
        proc.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (logLock)
            {
                log.WriteLine(e.Data);
                stderrTail.Enqueue(e.Data);
                if (stderrTail.Count > 40) stderrTail.Dequeue();
            }
        };
        proc.Start();
        proc.StandardInput.Close();
        proc.BeginOutputReadLine();
        proc.BeginErrorReadLine();

        long position = 0;
        string partial = "";
        string? inflight = null;
        double inflightStart = 0;
        bool ended = false;
        bool progressed = false;
        var lastProgress = Stopwatch.StartNew();
        var lastReport = Stopwatch.StartNew();

        void Drain()
        {
            using var fs = new FileStream(eventsPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (fs.Length <= position) return;
            fs.Seek(position, SeekOrigin.Begin);
            using var reader = new StreamReader(fs);
            string chunk = reader.ReadToEnd();
            position = fs.Length;
            chunk = partial + chunk;
            int lastNewline = chunk.LastIndexOf('\n');
            partial = lastNewline < 0 ? chunk : chunk[(lastNewline + 1)..];
            if (lastNewline < 0) return;
            foreach (var line in chunk[..lastNewline].Split('\n'))
            {
                if (line.Length == 0) continue;
                JsonElement e;
                try { e = JsonDocument.Parse(line).RootElement; } catch (JsonException) { continue; }
                string kind = e.GetProperty("event").GetString()!;
                double t = e.TryGetProperty("t", out var tv) ? tv.GetDouble() : 0;
                switch (kind)
                {
                    case "start":
                        inflight = e.GetProperty("id").GetString();
                        inflightStart = t;
                        lastProgress.Restart();
                        progressed = true;
                        break;
                    case "result":
                        string id = e.GetProperty("id").GetString()!;
                        string outcome = e.GetProperty("outcome").GetString()!;
                        var rec = new TestOutcome
                        {
                            Id = id,
                            Outcome = outcome,
                            Type = Str(e, "type"),
                            Message = outcome == "skip" ? Str(e, "message") : Str(e, "message"),
                            Traceback = Str(e, "traceback"),
                            Seconds = inflight == id && inflightStart > 0 ? Math.Max(0, t - inflightStart) : 0,
                        };
                        if (!result.Tests.TryGetValue(id, out var existing))
                        {
                            result.Tests[id] = rec;
                            if (options.Verbose) Progress?.Invoke(result, $"{id} ... {outcome}");
                        }
                        else if (existing.Passed || existing.Skipped)
                        {
                            // A later failure (e.g. an error in tearDown after success) wins.
                            if (rec.Failed) result.Tests[id] = rec;
                        }
                        if (inflight == id) inflight = null;
                        lastProgress.Restart();
                        progressed = true;
                        break;
                    case "end":
                        ended = true;
                        break;
                }
            }
        }

        while (true)
        {
            bool exited = proc.WaitForExit(250);
            Drain();
            if (lastReport.Elapsed > TimeSpan.FromSeconds(15))
            {
                Progress?.Invoke(result, null);
                lastReport.Restart();
            }
            if (exited)
            {
                proc.WaitForExit();
                Drain();
                if (ended) return (RunState.Completed, "", progressed);
                string why = proc.ExitCode > 128 ? $"process killed by signal {proc.ExitCode - 128}" : $"process exited with code {proc.ExitCode}";
                string tail;
                lock (logLock) tail = string.Join("\n", stderrTail.TakeLast(8));
                if (inflight is not null)
                {
                    result.Tests[inflight] = new TestOutcome { Id = inflight, Outcome = "crash", Type = "Crash", Message = why, Traceback = tail };
                    return (RunState.Crashed, $"crash in {inflight}", true);
                }
                string firstErr = FirstErrorLine(tail);
                return (RunState.Crashed, $"{why} outside a test{(firstErr.Length > 0 ? ": " + firstErr : "")}", progressed);
            }
            if (lastProgress.Elapsed > options.TestTimeout)
            {
                try { proc.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                proc.WaitForExit();
                Drain();
                string msg = $"no result within {options.TestTimeout.TotalSeconds:0} s";
                lock (logLock) log.WriteLine($"=== watchdog: {msg}, killed (in flight: {inflight ?? "none"})");
                if (inflight is not null)
                {
                    result.Tests[inflight] = new TestOutcome { Id = inflight, Outcome = "timeout", Type = "Hang", Message = msg };
                    return (RunState.Hung, $"hang in {inflight}", true);
                }
                return (RunState.Hung, $"hang outside a test ({msg})", progressed);
            }
        }
    }

    static string Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";

    static string FirstErrorLine(string tail)
    {
        var lines = tail.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.LastOrDefault(l => l.Contains("Error") || l.Contains("Exception"))?.Trim() ?? "";
    }
}
