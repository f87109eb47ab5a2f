using System.Diagnostics;
using Netty.PySocket.Errors;
using Netty.PySocket.Select;
using Netty.PySocket.Socket;
using static Netty.PySocket.Select.PollEvents;

namespace Netty.PySocket.Benchmarks.Soak;

/// <summary>
/// Suite 2, slow peers: readers that never read while writers push (non-blocking: until EAGAIN; blocking: a 1 GiB
/// sendall that must block, then fail at once when the reader goes away; timeout mode: TimeoutError). Process
/// memory must stay within the buffer bounds, whatever the writer tries to send.
/// </summary>
public static class SlowPeerScenario
{
    const long Attempt = 1L << 30;
    const int Chunk = 64 * 1024;
    static readonly TimeSpan ErrorBound = TimeSpan.FromSeconds(2);

    public static IEnumerable<SoakResult> Run(SoakContext ctx)
    {
        yield return NonBlockingWriters(ctx, ctx.Quick ? 50 : 500);
        yield return BlockingWriter(ctx);
        yield return TlsStoppedPeer.Run(ctx);
    }

    static SoakResult NonBlockingWriters(SoakContext ctx, int n)
    {
        var r = new SoakResult("2. Slow peers", $"{n} readers that never read, non-blocking writers push until EAGAIN");
        var listener = Pairs.Listener();
        var pairs = new List<(SocketObject Writer, SocketObject Reader)>();
        try
        {
            var (w0, r0) = Pairs.Plain(listener);
            Close(w0, r0);
            var before = ProcessStats.Take(settle: true);
            using var sampler = new PeakSampler();
            var accepted = new long[n];
            int partial = 0, eagain = 0;
            for (int i = 0; i < n; i++)
            {
                var (w, rd) = Pairs.Plain(listener);
                pairs.Add((w, rd));
                w.SetBlocking(false);
            }
            // Push until the library says "would block" (the attempt per connection is 1 GiB). Our reader's side
            // still takes up to its read high-water mark off the kernel after that EAGAIN, so a writer may turn
            // writable again: push again, until a 500 ms poll finds no writer writable.
            var poll = new PollObject();
            foreach (var (w, _) in pairs) poll.Register(w.Fileno(), POLLOUT);
            var due = Enumerable.Range(0, n).ToList();
            int rounds = 0;
            List<(int Fd, int Events)> writable = new();
            // Bounded by time, not by a round count: on a loaded machine the reader side and TCP's receive-window
            // growth can open room a few more times (a CI run needed 11 rounds); without bound it would show as a
            // writer reaching Attempt, which the first check below catches.
            var until = System.Diagnostics.Stopwatch.StartNew();
            for (; until.Elapsed < TimeSpan.FromSeconds(30) && due.Count > 0; rounds++)
            {
                foreach (int i in due)
                {
                    var w = pairs[i].Writer;
                    while (accepted[i] < Attempt)
                    {
                        int sent;
                        try
                        {
                            sent = w.Send(Payload.Slice(accepted[i], Chunk));
                        }
                        catch (PySocketException e) when (SoakStream.WouldBlock(e))
                        {
                            eagain++;
                            break;
                        }
                        if (sent < Chunk) partial++;
                        accepted[i] += sent;
                    }
                }
                writable = poll.Poll(500);
                var fds = writable.Select(x => x.Fd).ToHashSet();
                due = Enumerable.Range(0, n).Where(i => fds.Contains(pairs[i].Writer.Fileno())).ToList();
            }
            long peak = sampler.PeakRss, grown = peak - before.RssBytes;
            long bound = 2L * n * BufferBound.PerSocket + BufferBound.FixedAllowance;
            long total = accepted.Sum();
            ctx.Say($"  {n} writers accepted {total:N0} bytes in all (max {accepted.Max():N0} per connection), grew {ProcessSnapshot.Mib(grown)}");
            r.ConnectionsHeld = n;
            r.InputsTried = n;
            r.Figure("attempted per writer", $"{Sizes.Human(Attempt)} ({Sizes.Human(Attempt * n)} in all)");
            r.Figure("accepted before EAGAIN", $"{total:N0} bytes in all, {accepted.Average():N0} mean / {accepted.Max():N0} max per connection " +
                "(kernel send + receive buffers + our bounded buffers)");
            r.Figure("non-blocking sends ending in EAGAIN / partial sends", $"{eagain} / {partial}");
            r.Figure("push rounds until no writer was writable for 500 ms", $"{rounds}");
            r.Figure("RSS before / peak", $"{ProcessSnapshot.Mib(before.RssBytes)} / {ProcessSnapshot.Mib(peak)} (grew {ProcessSnapshot.Mib(grown)})");
            r.Require("every writer got EAGAIN instead of queueing without bound", eagain >= n && accepted.All(a => a < Attempt),
                $"{eagain} EAGAIN for {n} writers, largest acceptance {accepted.Max():N0} bytes of {Attempt:N0}");
            r.Require("the writers stay blocked while their readers sleep", writable.Count == 0,
                $"no writer writable in a 500 ms poll after {rounds} push round(s); {writable.Count} still writable");
            r.Require("memory within the buffer bound", grown <= bound,
                $"grew {ProcessSnapshot.Mib(grown)} <= {2 * n} sockets x {Sizes.Human(BufferBound.PerSocket)} + {ProcessSnapshot.Mib(BufferBound.FixedAllowance)} = {ProcessSnapshot.Mib(bound)}");
        }
        finally
        {
            foreach (var (w, rd) in pairs) Close(w, rd);
            listener.Close();
        }
        return r;
    }

    static SoakResult BlockingWriter(SoakContext ctx)
    {
        var r = new SoakResult("2. Slow peers", "1 GiB sendall to a reader that never reads (blocking, then timeout mode)");
        var listener = Pairs.Listener();
        var (w, rd) = Pairs.Plain(listener);
        var (tw, trd) = Pairs.Plain(listener);
        try
        {
            var before = ProcessStats.Take(settle: true);
            using var sampler = new PeakSampler();
            long progress = 0;
            var call = new BlockedCall("sendall-1GiB", () =>
            {
                for (long pos = 0; pos < Attempt; pos += Chunk)
                {
                    w.SendAll(Payload.Slice(pos, Chunk));
                    Interlocked.Add(ref progress, Chunk);
                }
            });
            // Wait until the writer stops making progress: 1 s without a byte accepted (bounded at 30 s).
            var watch = Stopwatch.StartNew();
            long last = -1;
            while (watch.Elapsed < TimeSpan.FromSeconds(30) && Interlocked.Read(ref progress) != last)
            {
                last = Interlocked.Read(ref progress);
                if (!call.StillBlockedAfter(TimeSpan.FromSeconds(1))) break;
            }
            long stalledAt = Interlocked.Read(ref progress);
            bool blocked = call.StillBlockedAfter(TimeSpan.FromSeconds(1)) && Interlocked.Read(ref progress) == stalledAt;
            long peak = sampler.PeakRss, grown = peak - before.RssBytes;
            long bound = 2 * BufferBound.PerSocket + BufferBound.FixedAllowance;
            long t0 = Stopwatch.GetTimestamp();
            rd.Close(); // the reader goes away with unread data: RST, the blocked writer must fail now
            double toError = call.SecondsToEnd(t0, TimeSpan.FromSeconds(30));

            trd.SetTimeout(null);
            tw.SetTimeout(1.0);
            var tcall = new BlockedCall("sendall-timeout", () =>
            {
                for (long pos = 0; pos < Attempt; pos += Chunk) tw.SendAll(Payload.Slice(pos, Chunk));
            });
            double toTimeout = tcall.SecondsToEnd(t0 = Stopwatch.GetTimestamp(), TimeSpan.FromSeconds(60));

            ctx.Say($"  blocking writer stalled at {stalledAt:N0} bytes, error {toError * 1000:0} ms after the reader closed: {call.Outcome}; timeout mode: {tcall.Outcome}");
            r.ConnectionsHeld = 2;
            r.FaultsInjected = 2;
            r.FaultsSurvived = (call.Error is not null ? 1 : 0) + (tcall.Error?.Kind == PyErrorKind.Timeout ? 1 : 0);
            r.Figure("writer accepted before blocking", $"{stalledAt:N0} bytes of {Attempt:N0}");
            r.Figure("RSS before / peak while blocked", $"{ProcessSnapshot.Mib(before.RssBytes)} / {ProcessSnapshot.Mib(peak)} (grew {ProcessSnapshot.Mib(grown)})");
            r.Figure("reader closed -> blocked writer's error", $"{toError * 1000:0} ms, {call.Outcome}");
            r.Figure("timeout mode (settimeout(1.0))", $"{tcall.Outcome} after {toTimeout:0.00} s");
            r.Require("the writer blocks instead of buffering 1 GiB", blocked && stalledAt < Attempt, $"stalled at {stalledAt:N0} bytes");
            r.Require("memory within the buffer bound while blocked", grown <= bound, $"grew {ProcessSnapshot.Mib(grown)} <= {ProcessSnapshot.Mib(bound)}");
            r.Require("the blocked writer gets an OSError promptly when the reader goes", call.Error is not null && toError <= ErrorBound.TotalSeconds,
                $"{call.Outcome} after {toError * 1000:0} ms (bound {ErrorBound.TotalMilliseconds:0} ms)");
            r.Require("timeout mode raises TimeoutError", tcall.Error?.Kind == PyErrorKind.Timeout && toTimeout < 30, $"{tcall.Outcome}");
        }
        finally
        {
            Close(w, rd);
            Close(tw, trd);
            listener.Close();
        }
        return r;
    }

    static void Close(SocketObject a, SocketObject b)
    {
        a.Close();
        b.Close();
    }
}
