using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Netty.PySocket.Ssl;
using Netty.PySocket.Errors;
using Netty.PySocket.Runtime;
using Netty.PySocket.Select;
using Netty.PySocket.Socket;
using static Netty.PySocket.Select.PollEvents;
using NetSocket = System.Net.Sockets.Socket;

namespace Netty.PySocket.Benchmarks.Soak;

/// <summary>
/// Suite 3, fault: the event-loop group shut down (<see cref="PySocketRuntime.Shutdown"/>) under load, in a child
/// process since it ends the shared group. Callers blocked in recv, accept, sendall (to a reader that never
/// reads), select, poll and a TLS recv, plus callers streaming bulk data, must all get their error promptly, as
/// PySocketException (no .NET exception leaking); afterwards new operations fail with EBADF.
/// </summary>
public static class GroupShutdownScenario
{
    static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    public static IEnumerable<SoakResult> Run(SoakContext ctx)
    {
        var r = new SoakResult("3. Faults", "event-loop group shut down under load");
        using var p = ChildProcess.Start("shutdown");
        var stderr = p.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        string? line;
        while ((line = p.StandardOutput.ReadLine()) != null) lines.Add(line);
        if (!p.WaitForExit(TimeSpan.FromSeconds(60))) p.Kill();
        p.WaitForExit();
        var calls = lines.Where(l => l.StartsWith("call ")).Select(l => l.Split(' ', 4)).ToList();
        int total = calls.Count;
        var ended = calls.Where(c => c[2] != "NaN").ToList();
        var times = ended.Select(c => double.Parse(c[2], CultureInfo.InvariantCulture)).OrderBy(x => x).ToList();
        var leaked = calls.Where(c => c[3].StartsWith(".NET")).ToList();
        var returned = calls.Where(c => c[3] == "returned").ToList();
        string shutdownMs = lines.FirstOrDefault(l => l.StartsWith("shutdown-ms "))?[12..] ?? "?";
        string after = lines.FirstOrDefault(l => l.StartsWith("after "))?[6..] ?? "?";
        string blocked = lines.FirstOrDefault(l => l.StartsWith("blocked "))?[8..] ?? "?";
        double max = times.Count > 0 ? times[^1] : double.NaN;
        foreach (var g in calls.GroupBy(c => c[1]))
            r.Figure($"callers in {g.Key}", $"{g.Count()}: " + string.Join(", ", g.GroupBy(c => c[3]).Select(o => $"{o.Count()} x {o.Key}")) +
                $"; slowest {g.Max(c => c[2] == "NaN" ? double.PositiveInfinity : double.Parse(c[2], CultureInfo.InvariantCulture)):0} ms");
        r.Figure("blocked (or streaming) when the group went down", blocked);
        r.Figure("Shutdown() call took", $"{shutdownMs} ms");
        r.Figure("caller errors after Shutdown()", times.Count > 0 ? $"p50 {times[times.Count / 2]:0} ms, max {max:0} ms" : "none");
        r.Figure("a new operation afterwards", after);
        ctx.Say($"  {ended.Count}/{total} callers ended, max {max:0} ms after Shutdown(); {leaked.Count} .NET exceptions; exit code {p.ExitCode}");
        r.ConnectionsHeld = lines.Where(l => l.StartsWith("pairs ")).Select(l => long.Parse(l[6..])).FirstOrDefault();
        r.FaultsInjected = total;
        r.FaultsSurvived = ended.Count - leaked.Count;
        string err = stderr.Result;
        r.Require("every blocked or streaming caller gets its error promptly", total > 0 && ended.Count == total && max <= Bound.TotalMilliseconds,
            $"{ended.Count}/{total} ended, slowest {max:0} ms (bound {Bound.TotalMilliseconds:0} ms)");
        r.Require("errors are Python exceptions (PySocketException), never .NET ones; only poll/select may return (NVAL)", leaked.Count == 0
            && returned.All(c => c[1] is "poll" or "select"), $"{leaked.Count} .NET exceptions, {returned.Count} returns ({string.Join(",", returned.Select(c => c[1]).Distinct())})");
        r.Require("new operations fail with EBADF after Shutdown()", after.Contains("(9,"), after);
        r.Require("the child exits cleanly", p.ExitCode == 0 && err.Length == 0, $"exit code {p.ExitCode}, stderr {err.Length} chars {err[..Math.Min(300, err.Length)]}");
        yield return r;
    }

    /// <summary>Our socket (the accepted end) with a System.Net peer: the runtime's Shutdown does not touch the
    /// peer, so our caller's result comes from our own shutdown, not from an EOF the peer's closing caused.</summary>
    static (SocketObject Ours, NetSocket Peer) RawPair(SocketObject listener)
    {
        var peer = new NetSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var addr = (object[])listener.GetSockName();
        peer.Connect(new IPEndPoint(IPAddress.Parse((string)addr[0]), (int)addr[1]));
        return (listener.AcceptSocket(out _), peer);
    }

    static void Quietly(Action a)
    {
        var t = new Thread(() =>
        {
            try { a(); } catch (Exception) { } // the peer's own end: errors once we are gone are expected
        }) { IsBackground = true };
        t.Start();
    }

    public static int Child()
    {
        const int Idle = 200, Streams = 10, Stuck = 20, Tls = 5;
        var cert = new TestCertificate();
        using var x509 = X509CertificateLoader.LoadPkcs12(cert.Pkcs12, null);
        var listener = Pairs.Listener();
        var idle = Enumerable.Range(0, Idle).Select(_ => RawPair(listener)).ToList();
        var streams = Enumerable.Range(0, Streams).Select(_ => (Out: RawPair(listener), In: RawPair(listener))).ToList();
        var stuck = Enumerable.Range(0, Stuck).Select(_ => RawPair(listener)).ToList();
        var tls = new List<(SslSocket Ours, SslStream Peer)>();
        for (int i = 0; i < Tls; i++)
        {
            var (ours, peer) = RawPair(listener);
            var peerTls = new SslStream(new NetworkStream(peer, ownsSocket: true), false, (_, _, _, _) => true);
            var hs = Task.Run(() => peerTls.AuthenticateAsClient("localhost"));
            tls.Add((cert.ServerContext().WrapSocket(ours, serverSide: true), peerTls));
            hs.GetAwaiter().GetResult();
        }
        Console.Out.WriteLine($"pairs {Idle + 2 * Streams + Stuck + Tls}");
        var calls = new List<(string Kind, BlockedCall Call)>();
        void Add(string kind, Action a) => calls.Add((kind, new BlockedCall(kind, a)));
        for (int i = 0; i < 50; i++)
        {
            var s = idle[i].Ours;
            Add("recv", () => s.Recv(1024));
        }
        for (int i = 0; i < 10; i++) Add("accept", () => listener.AcceptSocket(out _));
        for (int i = 0; i < 10; i++)
        {
            int fd = idle[50 + i].Ours.Fileno();
            Add("select", () => SelectModule.SelectFds(new[] { fd }, Array.Empty<int>(), Array.Empty<int>()));
        }
        for (int i = 0; i < 10; i++)
        {
            var poll = new PollObject();
            poll.Register(idle[60 + i].Ours.Fileno(), POLLIN);
            Add("poll", () => poll.Poll());
        }
        foreach (var (w, _) in stuck)
            Add("sendall-stuck", () => { for (long pos = 0; ; pos += 65536) w.SendAll(Payload.Slice(pos, 65536)); });
        foreach (var (o, i) in streams)
        {
            var (writer, sink) = o;
            var (reader, source) = i;
            Quietly(() => { var b = new byte[65536]; while (sink.Receive(b) > 0) { } });
            Quietly(() => { while (true) source.Send(Payload.Slice(0, 65536)); });
            Add("sendall-streaming", () => { for (long pos = 0; ; pos += 65536) writer.SendAll(Payload.Slice(pos, 65536)); });
            Add("recv-streaming", () => { var b = new byte[65536]; while (reader.RecvInto(b) > 0) { } throw PySocketException.OSError(Errno.ECONNRESET, "EOF instead of an error"); });
        }
        foreach (var (s, _) in tls) Add("tls-recv", () => s.Recv(1024));
        // The stuck writers fill their buffers within a second on loopback; the others are waiting at once. No event
        // says "now inside the wait", so this pause only makes the load real; the check does not depend on it.
        Thread.Sleep(1000);
        Console.Out.WriteLine($"blocked {calls.Count(c => !c.Call.Ended)}/{calls.Count}");
        long t0 = Stopwatch.GetTimestamp();
        PySocketRuntime.Shutdown();
        Console.Out.WriteLine($"shutdown-ms {Stopwatch.GetElapsedTime(t0).TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)}");
        foreach (var (kind, call) in calls)
        {
            double s = call.SecondsToEnd(t0, TimeSpan.FromSeconds(10));
            Console.Out.WriteLine($"call {kind} {(double.IsNaN(s) ? "NaN" : (s * 1000).ToString("0.0", CultureInfo.InvariantCulture))} {call.Outcome.Replace('\n', ' ')}");
        }
        try
        {
            var s = new SocketObject();
            s.Connect(listener.GetSockName());
            Console.Out.WriteLine("after connect succeeded");
        }
        catch (PySocketException e)
        {
            Console.Out.WriteLine($"after {e.PythonTypeName}({e.Errno}, {e.Message})");
        }
        catch (Exception e)
        {
            Console.Out.WriteLine($"after .NET {e.GetType().Name}: {e.Message}");
        }
        Console.Out.Flush();
        cert.Dispose();
        return 0;
    }
}
