using Netty.PySocket.Runtime;
using Netty.PySocket.Socket;
using Netty.PySocket.Ssl;

namespace Netty.PySocket.Benchmarks.Soak;

/// <summary>
/// Suite 1, load: N plain connections then M TLS connections held at once, each echoing 1 MiB with SHA-256 checks,
/// peak RSS and threads against connection count x buffer bound and event-loop group + callers.
/// </summary>
public static class LoadScenario
{
    public const long PerConnection = 1L << 20;

    public static IEnumerable<SoakResult> Run(SoakContext ctx)
    {
        yield return Measure(ctx, tls: false, ctx.Quick ? 500 : 5_000);
        yield return Measure(ctx, tls: true, ctx.Quick ? 100 : 1_000);
    }

    static SoakResult Measure(SoakContext ctx, bool tls, int n)
    {
        var r = new SoakResult("1. Load", tls ? $"{n:N0} concurrent TLS connections, 1 MiB echoed each" : $"{n:N0} concurrent connections, 1 MiB echoed each");
        var listener = Pairs.Listener();
        SslContext? sctx = tls ? ctx.Cert.ServerContext() : null;
        SslContext? cctx = tls ? TestCertificate.ClientContext() : null;
        var pairs = new List<(SoakStream Client, SoakStream Server)>(n);
        try
        {
            // Warm-up pair so the event-loop group and the thread pool exist before the baseline.
            Close(new[] { Make() });
            var before = ProcessStats.Take(settle: true);
            int nonPoolBefore = before.Threads - ThreadPool.ThreadCount;
            using var sampler = new PeakSampler();
            var setup = System.Diagnostics.Stopwatch.StartNew();
            for (int i = 0; i < n; i++) pairs.Add(Make());
            setup.Stop();
            foreach (var (c, s) in pairs)
            {
                c.SetBlocking(false);
                s.SetBlocking(false);
            }
            var held = ProcessStats.Take(settle: false);
            ctx.Say($"  {n} {(tls ? "TLS " : "")}pairs open in {setup.Elapsed.TotalSeconds:0.0} s ({held})");
            var outcome = EchoLoad.Run(pairs, PerConnection, TimeSpan.FromSeconds(ctx.Quick ? 90 : 420));
            long peakRss = sampler.PeakRss;
            int peakThreads = sampler.PeakThreads, peakPool = sampler.PeakPoolThreads, peakNonPool = sampler.PeakNonPoolThreads;
            ctx.Say($"  echo: {outcome.Verified}/{n} verified in {outcome.Elapsed.TotalSeconds:0.0} s, peak RSS {ProcessSnapshot.Mib(peakRss)}, peak threads {peakThreads}");

            r.ConnectionsHeld = n;
            r.BytesVerified = outcome.BytesEchoed;
            var bound = BufferBound.PerSocket;
            long sockets = 2L * n; // both ends of every connection live in this process
            long memBound = sockets * bound + BufferBound.FixedAllowance;
            long grown = peakRss - before.RssBytes;
            // The event-loop group is already running in the baseline (the warm-up pair started it).
            int threadBound = nonPoolBefore + SoakContext.Callers + SoakContext.RuntimeOnDemand;
            r.Figure("connections held at once", $"{n:N0} ({sockets:N0} sockets, {held.OpenFds:N0} open fds, fd limit {ctx.FdLimit:N0})");
            r.Figure("setup", $"{setup.Elapsed.TotalSeconds:0.0} s ({(tls ? "connect + accept + TLS handshake" : "connect + accept")}, sequential)");
            r.Figure("bytes echoed and SHA-256 verified", $"{outcome.BytesEchoed:N0} ({outcome.Verified:N0} x {Sizes.Human(PerConnection)} sent and echoed back) in {outcome.Elapsed.TotalSeconds:0.0} s");
            r.Figure("RSS before / peak", $"{ProcessSnapshot.Mib(before.RssBytes)} / {ProcessSnapshot.Mib(peakRss)} (grew {ProcessSnapshot.Mib(grown)}, {grown / Math.Max(1, sockets) / 1024:N0} KiB per socket)");
            r.Figure("memory bound", $"{sockets:N0} sockets x {Sizes.Human(bound)} ({BufferBound.Describe}) + {ProcessSnapshot.Mib(BufferBound.FixedAllowance)} fixed = {ProcessSnapshot.Mib(memBound)}");
            r.Figure("threads before / peak", $"{before.Threads} / {peakThreads}: outside the .NET thread pool {nonPoolBefore} / {peakNonPool} " +
                $"(runtime, event-loop group of {PySocketRuntime.EventLoopThreads}, this driver thread; + the sampler), .NET thread pool peak {peakPool}");
            r.Require("every connection echoed its bytes intact", outcome.Verified == n,
                $"{outcome.Verified:N0}/{n:N0} verified, {outcome.Mismatched} SHA mismatches, {outcome.Failed} errors, {outcome.Unfinished} unfinished" +
                (outcome.Errors.Count > 0 ? " — " + string.Join("; ", outcome.Errors) : ""));
            r.Require("memory stays within connections x buffer bound", grown <= memBound,
                $"grew {ProcessSnapshot.Mib(grown)} <= {ProcessSnapshot.Mib(memBound)}");
            r.Require("threads stay within the event-loop group + callers, not per connection", peakNonPool <= threadBound,
                $"outside the .NET pool: peak {peakNonPool} <= {nonPoolBefore} before (the event-loop group of {PySocketRuntime.EventLoopThreads} included) + {SoakContext.Callers} sampler + {SoakContext.RuntimeOnDemand} runtime workers on demand = {threadBound}, for {n:N0} connections");
            r.Require("the shared .NET thread pool does not grow with connections", peakPool <= SoakContext.ThreadPoolBound,
                $"peak {peakPool} <= {SoakContext.ThreadPoolBound} (max(32, 8 x cores)), for {n:N0} connections");
        }
        finally
        {
            Close(pairs);
            listener.Close();
        }
        return r;

        (SoakStream, SoakStream) Make()
        {
            if (!tls)
            {
                var (c, s) = Pairs.Plain(listener);
                return (SoakStream.Of(c), SoakStream.Of(s));
            }
            var (tc, ts) = Pairs.Tls(listener, sctx!, cctx!);
            return (SoakStream.Of(tc), SoakStream.Of(ts));
        }
    }

    static void Close(IEnumerable<(SoakStream Client, SoakStream Server)> pairs)
    {
        foreach (var (c, s) in pairs)
        {
            c.Close();
            s.Close();
        }
    }
}
