using System.Diagnostics;
using Netty.PySocket.Runtime;
using Netty.PySocket.Select;
using Netty.PySocket.Socket;

namespace Netty.PySocket.Benchmarks.Soak;

/// <summary>
/// Suite 5, exit: a child holding 1,000 open sockets with threads blocked in recv, accept and select returns from
/// main; it must be gone well under a second later, exit code 0, nothing on stderr, the process-exit closer having
/// shut the group down. The blocked threads are background threads: the counterpart of Python's daemon threads
/// (a foreground thread keeps a .NET process alive by design, as a non-daemon thread keeps Python's).
/// </summary>
public static class ExitScenario
{
    const int Pairs = 500, RecvThreads = 20, AcceptThreads = 5, SelectThreads = 5;
    static readonly TimeSpan Bound = TimeSpan.FromSeconds(1);

    public static IEnumerable<SoakResult> Run(SoakContext ctx)
    {
        var r = new SoakResult("5. Exit", $"process with {2 * Pairs:N0} open sockets and {RecvThreads + AcceptThreads + SelectThreads} threads blocked returns from main");
        int runs = ctx.Quick ? 3 : 5;
        var exits = new List<double>();
        var closers = new List<double>();
        var bare = new List<double>();
        var problems = new List<string>();
        int closerSeen = 0, clean = 0;
        string blocked = "?";
        for (int i = 0; i < 2 * runs; i++)
        {
            // Odd runs: the same program returning from main with no socket ever made: the runtime's own exit cost.
            bool isBare = i % 2 == 1;
            using var p = ChildProcess.Start(isBare ? "exit-bare" : "exit");
            var stderr = p.StandardError.ReadToEndAsync();
            var lines = new List<string>();
            long mainReturnTicks = 0;
            string? line;
            while ((line = p.StandardOutput.ReadLine()) != null)
            {
                lines.Add(line);
                if (line.StartsWith("main-returning ")) mainReturnTicks = long.Parse(line["main-returning ".Length..]);
                if (line.StartsWith("blocked ")) blocked = line[8..];
            }
            bool exited = p.WaitForExit(TimeSpan.FromSeconds(30));
            var exitAt = DateTime.UtcNow.Ticks;
            if (!exited)
            {
                p.Kill();
                problems.Add($"run {i / 2 + 1}: did not exit within 30 s");
                continue;
            }
            p.WaitForExit();
            double seconds = (exitAt - mainReturnTicks) / (double)TimeSpan.TicksPerSecond;
            if (isBare)
            {
                if (mainReturnTicks != 0 && p.ExitCode == 0) bare.Add(seconds);
                continue;
            }
            var closerLine = lines.FirstOrDefault(l => l.StartsWith("log ") && l.Contains("Event loop group shut down"));
            if (closerLine is not null && mainReturnTicks != 0)
                closers.Add((long.Parse(closerLine.Split(' ')[1]) - mainReturnTicks) / (double)TimeSpan.TicksPerSecond);
            string err = stderr.Result;
            bool sawCloser = lines.SkipWhile(l => !l.StartsWith("main-returning ")).Any(l => l.StartsWith("log ") && l.Contains("Event loop group shut down"));
            if (sawCloser) closerSeen++;
            if (mainReturnTicks == 0) problems.Add($"run {i / 2 + 1}: child never reached the end of main: {string.Join(" | ", lines.TakeLast(3))} {err}");
            else exits.Add(seconds);
            if (p.ExitCode == 0 && err.Length == 0) clean++;
            else problems.Add($"run {i / 2 + 1}: exit code {p.ExitCode}, stderr {err.Length} chars: {err[..Math.Min(300, err.Length)]}");
            ctx.Say($"  run {i / 2 + 1}: exit {seconds * 1000:0} ms after main returned, code {p.ExitCode}, stderr {err.Length} chars, closer {(sawCloser ? "ran" : "NOT seen")}");
        }
        exits.Sort();
        bare.Sort();
        closers.Sort();
        double bareMedian = bare.Count > 0 ? bare[bare.Count / 2] : double.NaN;
        double closerMedian = closers.Count > 0 ? closers[closers.Count / 2] : double.NaN;
        double median = exits.Count > 0 ? exits[exits.Count / 2] : double.NaN, max = exits.Count > 0 ? exits[^1] : double.NaN;
        r.ConnectionsHeld = 2 * Pairs;
        r.FaultsInjected = runs;
        r.FaultsSurvived = clean;
        r.Figure("child", $"{Pairs} connected pairs ({2 * Pairs:N0} sockets) + listener; {RecvThreads} threads in recv, {AcceptThreads} in accept, {SelectThreads} in select; {runs} runs");
        r.Figure("calls still blocked when main returned", blocked);
        r.Figure("main returned -> process gone", $"median {median * 1000:0} ms, max {max * 1000:0} ms (each: {string.Join(", ", exits.Select(e => $"{e * 1000:0}"))} ms)");
        r.Figure("main returned -> closer done (\"Event loop group shut down.\" logged)", $"median {closerMedian * 1000:0} ms");
        r.Figure("same program without sockets (the runtime's own exit), alternating runs", $"median {bareMedian * 1000:0} ms (each: {string.Join(", ", bare.Select(e => $"{e * 1000:0}"))} ms)");
        r.Require("exits well under a second after main returns", exits.Count == runs && median < Bound.TotalSeconds && max < 5 * Bound.TotalSeconds,
            $"median {median * 1000:0} ms < {Bound.TotalMilliseconds:0} ms, max {max * 1000:0} ms < {5 * Bound.TotalMilliseconds:0} ms");
        r.Require("exit code 0 and nothing printed on stderr", clean == runs, $"{clean}/{runs} clean" + (problems.Count > 0 ? " — " + string.Join("; ", problems) : ""));
        r.Require("the process-exit closer shut the group down", closerSeen == runs, $"{closerSeen}/{runs} runs logged \"Event loop group shut down.\" after main returned");
        yield return r;
    }

    /// <summary>The child: open everything, block the threads, return from main.</summary>
    public static int Child(bool bare)
    {
        if (bare)
        {
            Console.Out.WriteLine($"main-returning {DateTime.UtcNow.Ticks}");
            Console.Out.Flush();
            return 0;
        }
        PySocketRuntime.LoggerFactory = new StdoutLogger();
        var listener = Soak.Pairs.Listener();
        var pairs = new List<(SocketObject, SocketObject)>();
        for (int i = 0; i < Pairs; i++) pairs.Add(Soak.Pairs.Plain(listener));
        var calls = new List<BlockedCall>();
        for (int i = 0; i < RecvThreads; i++)
        {
            var s = pairs[i].Item2;
            calls.Add(new BlockedCall("recv", () => s.Recv(1024)));
        }
        for (int i = 0; i < AcceptThreads; i++) calls.Add(new BlockedCall("accept", () => listener.AcceptSocket(out _)));
        for (int i = 0; i < SelectThreads; i++)
        {
            int fd = pairs[RecvThreads + i].Item2.Fileno();
            calls.Add(new BlockedCall("select", () => SelectModule.SelectFds(new[] { fd }, Array.Empty<int>(), Array.Empty<int>())));
        }
        // Every call has started (BlockedCall waits for that); give them a moment to be inside their wait, which
        // has no event to observe from outside. Nothing depends on it: a call not yet waiting exits the same way.
        Thread.Sleep(200);
        int stillBlocked = calls.Count(c => !c.Ended);
        Console.Out.WriteLine($"blocked {stillBlocked}/{calls.Count}");
        Console.Out.WriteLine($"main-returning {DateTime.UtcNow.Ticks}");
        Console.Out.Flush();
        return 0;
    }
}
