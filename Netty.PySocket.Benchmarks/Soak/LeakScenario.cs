using System.Diagnostics;
using DotNetty.Buffers;
using Netty.PySocket.Runtime;
using Netty.PySocket.Socket;
using Netty.PySocket.Ssl;

namespace Netty.PySocket.Benchmarks.Soak;

/// <summary>
/// Suite 4, leaks: thousands of open/connect/transfer/close cycles, plain then TLS, with the process's counts
/// measured after a warm-up and again at the end: open sockets, registered descriptors, open descriptors, our
/// threads, pinned objects (the GCHandles sockets pin buffers with), pooled buffers in use, managed heap.
/// </summary>
public static class LeakScenario
{
    const int Transfer = 4 * 1024;
    const int WarmUp = 200;

    /// <summary>Keeps the full soak bounded on a slow machine; the counts compared stay valid for the cycles run.</summary>
    static readonly TimeSpan TimeBudget = TimeSpan.FromMinutes(4);

    public static IEnumerable<SoakResult> Run(SoakContext ctx)
    {
        yield return Measure(ctx, tls: false, ctx.Quick ? 1_000 : 10_000);
        yield return Measure(ctx, tls: true, ctx.Quick ? 200 : 10_000);
    }

    sealed record Counts(int Sockets, int Registered, int Fds, int Threads, long Pinned, long PooledActive, long Heap, long PoolChunks);

    static Counts Take()
    {
        var snap = ProcessStats.Take(settle: true);
        return new Counts(snap.OpenSockets, snap.RegisteredFds, NonFileFds(), snap.Threads - ThreadPool.ThreadCount,
            GC.GetGCMemoryInfo(GCKind.FullBlocking).PinnedObjectsCount, PooledActive(), snap.HeapBytes, PoolChunkBytes());
    }

    /// <summary>Open descriptors that are not files: sockets, pipes, epoll/eventfd instances. Files are left out: the
    /// runtime maps each assembly it loads lazily (System.Net.NameResolution.dll, seen mid-run) through one.</summary>
    static int NonFileFds() => ProcessStats.FdTargets().Values.Count(t => !t.StartsWith('/'));

    /// <summary>Bytes of the chunks the pooled allocator holds (16 MiB arrays on the managed heap). An arena first used
    /// by a new thread grows by a chunk: allocator warm-up, not a leak, so the heap is compared without them.</summary>
    static long PoolChunkBytes()
    {
        var m = PooledByteBufferAllocator.Default.Metric;
        return m.HeapArenas().Concat(m.DirectArenas()).SelectMany(a => a.ChunkLists).SelectMany(l => l).Sum(c => (long)c.ChunkSize);
    }

    /// <summary>Pooled buffers handed out and not returned, over every arena of the default allocator.</summary>
    static long PooledActive()
    {
        var m = PooledByteBufferAllocator.Default.Metric;
        return m.HeapArenas().Sum(a => a.NumActiveAllocations) + m.DirectArenas().Sum(a => a.NumActiveAllocations);
    }

    static SoakResult Measure(SoakContext ctx, bool tls, int cycles)
    {
        var r = new SoakResult("4. Leaks", $"{cycles:N0} {(tls ? "TLS " : "")}open/connect/transfer/close cycles");
        var listener = Pairs.Listener();
        SslContext? sctx = tls ? ctx.Cert.ServerContext() : null;
        SslContext? cctx = tls ? TestCertificate.ClientContext() : null;
        var data = Payload.Slice(0, Transfer).ToArray();
        var back = new byte[Transfer];
        int baseSockets = PySocketRuntime.OpenSocketCount;
        try
        {
            for (int i = 0; i < WarmUp; i++) Cycle();
            WaitClosed(baseSockets);
            var before = Take();
            var fdsBefore = ProcessStats.FdTargets();
            var sw = Stopwatch.StartNew();
            int done = 0;
            for (; done < cycles && sw.Elapsed < TimeBudget; done++) Cycle();
            sw.Stop();
            WaitClosed(baseSockets);
            var after = Take();
            // .NET closes a descriptor on its socket engine's thread shortly after Dispose; wait (bounded) for the
            // count to come down rather than read one that is still falling.
            for (var settle = Stopwatch.StartNew(); after.Fds > before.Fds && settle.Elapsed < TimeSpan.FromSeconds(3);)
            {
                Thread.Sleep(50);
                after = after with { Fds = NonFileFds() };
            }
            var added = ProcessStats.FdTargets().Where(kv => !fdsBefore.TryGetValue(kv.Key, out var t) || t != kv.Value)
                .GroupBy(kv => kv.Value.StartsWith("socket:") ? "socket" : kv.Value).Select(g => $"{g.Count()} x {g.Key}").ToList();
            if (added.Count > 0) r.Figure("descriptors new since the first count", string.Join(", ", added));
            ctx.Say($"  {done} {(tls ? "TLS " : "")}cycles in {sw.Elapsed.TotalSeconds:0.0} s: before {before}, after {after}");
            r.ConnectionsHeld = 1;
            r.InputsTried = done;
            r.BytesVerified = 2L * Transfer * done;
            r.Figure("cycles", $"{done:N0}{(done < cycles ? $" of {cycles:N0} (stopped by the {TimeBudget.TotalSeconds:0} s time bound)" : "")} in {sw.Elapsed.TotalSeconds:0.0} s ({done / sw.Elapsed.TotalSeconds:0} /s), after {WarmUp} warm-up cycles; " +
                $"each: connect, accept{(tls ? ", TLS handshake" : "")}, {Sizes.Human(Transfer)} each way verified, close both");
            int leaks = 0;
            void Compare(string what, long b, long a, long allowance, string why)
            {
                bool ok = a - b <= allowance;
                if (!ok) leaks++;
                r.Figure(what, $"{b:N0} -> {a:N0} (allowed growth {allowance:N0}{(why.Length > 0 ? "; " + why : "")})");
                r.Require($"{what} within a small constant", ok, $"{b:N0} -> {a:N0}, growth {a - b:N0} <= {allowance:N0}");
            }
            Compare("open sockets (PySocketRuntime.OpenSocketCount)", before.Sockets, after.Sockets, 0, "");
            Compare("registered descriptors (FdRegistry)", before.Registered, after.Registered, 0, "");
            Compare("open descriptors other than files (/proc/self/fd: sockets, pipes, epoll)", before.Fds, after.Fds, 0, "");
            Compare("threads outside the .NET thread pool", before.Threads, after.Threads, 2, "");
            Compare("pinned objects after a full GC (GCHandles pinning buffers)", before.Pinned, after.Pinned, 64, "buffers pinned by the runtime's own caches");
            Compare("pooled buffers in use (DotNetty arenas)", before.PooledActive, after.PooledActive, 64, "per-thread caches");
            Compare("managed heap after a full GC without the allocator's chunks, bytes", before.Heap - before.PoolChunks, after.Heap - after.PoolChunks, 2L << 20,
                $"JIT, caches, tiering; pooled chunks {ProcessSnapshot.Mib(before.PoolChunks)} -> {ProcessSnapshot.Mib(after.PoolChunks)}");
            r.LeaksFound = leaks;
        }
        finally
        {
            listener.Close();
        }
        return r;

        void Cycle()
        {
            if (tls)
            {
                var (c, s) = Pairs.Tls(listener, sctx!, cctx!);
                c.SendAll(data);
                RecvExact(n => s.RecvInto(n));
                s.SendAll(back);
                RecvExact(n => c.RecvInto(n));
                Check();
                c.Close();
                s.Close();
            }
            else
            {
                var (c, s) = Pairs.Plain(listener);
                c.SendAll(data);
                RecvExact(n => s.RecvInto(n));
                s.SendAll(back);
                RecvExact(n => c.RecvInto(n));
                Check();
                c.Close();
                s.Close();
            }
        }

        void RecvExact(RecvInto recv)
        {
            for (int got = 0; got < Transfer;)
            {
                int n = recv(back.AsSpan(got));
                if (n == 0) throw new IOException("EOF in a leak cycle");
                got += n;
            }
        }

        void Check()
        {
            if (!back.AsSpan().SequenceEqual(data)) throw new IOException("leak cycle: data changed in transit");
        }
    }

    delegate int RecvInto(Span<byte> buffer);

    static void WaitClosed(int baseline)
    {
        // Closes held back for queued writes finish on the event loop; the open-socket count is what we wait for.
        var sw = Stopwatch.StartNew();
        while (PySocketRuntime.OpenSocketCount > baseline && sw.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(10);
    }
}
