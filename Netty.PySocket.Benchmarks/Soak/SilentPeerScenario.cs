using System.Diagnostics;
using Netty.PySocket.Errors;
using Netty.PySocket.Select;
using Netty.PySocket.Socket;
using Netty.PySocket.Ssl;
using static Netty.PySocket.Select.PollEvents;

namespace Netty.PySocket.Benchmarks.Soak;

/// <summary>
/// Suite 2, peers that connect and send nothing: a one-thread epoll server (plain, then TLS with non-blocking
/// handshakes) holds them all, and every other client is still accepted and echoed promptly. The failure it rules
/// out is the doc's own: a process hung with connections waiting to be accepted.
/// </summary>
public static class SilentPeerScenario
{
    const int Message = 64 * 1024;

    public static IEnumerable<SoakResult> Run(SoakContext ctx)
    {
        yield return Measure(ctx, tls: false, silent: ctx.Quick ? 200 : 1_000, real: ctx.Quick ? 50 : 200);
        yield return Measure(ctx, tls: true, silent: ctx.Quick ? 100 : 500, real: ctx.Quick ? 20 : 100);
    }

    sealed class Conn(SocketObject raw, SslSocket? tls)
    {
        public readonly SocketObject Raw = raw;
        public readonly SslSocket? Tls = tls;
        public bool Handshaken = tls is null;
        public readonly SoakStream Stream = tls is null ? SoakStream.Of(raw) : SoakStream.Of(tls);
        public int Interest = POLLIN;
        public byte[]? Pending;
    }

    static SoakResult Measure(SoakContext ctx, bool tls, int silent, int real)
    {
        var r = new SoakResult("2. Slow peers", $"{silent} {(tls ? "TLS " : "")}peers that connect and send nothing, {real} others served meanwhile");
        var listener = Pairs.Listener(backlog: 128);
        SslContext? sctx = tls ? ctx.Cert.ServerContext() : null;
        var stop = new ManualResetEventSlim();
        int accepted = 0;
        var conns = new Dictionary<int, Conn>();
        Exception? serverError = null;
        var server = new Thread(() =>
        {
            try
            {
                Serve(listener, sctx, conns, stop, ref accepted);
            }
            catch (Exception e)
            {
                serverError = e;
            }
        }) { IsBackground = true, Name = "soak-silent-server" };
        server.Start();
        var silentPeers = new List<SocketObject>();
        var latencies = new List<double>();
        int verified = 0;
        var errors = new List<string>();
        try
        {
            for (int i = 0; i < silent; i++)
            {
                var s = new SocketObject();
                s.Connect(listener.GetSockName());
                silentPeers.Add(s);
            }
            var cctx = TestCertificate.ClientContext();
            var payload = Payload.Slice(0, Message).ToArray();
            var back = new byte[Message];
            for (int i = 0; i < real; i++)
            {
                var sw = Stopwatch.StartNew();
                var s = new SocketObject();
                try
                {
                    s.SetTimeout(10.0);
                    s.Connect(listener.GetSockName());
                    SoakStream st;
                    SslSocket? t = null;
                    if (tls)
                    {
                        t = cctx.WrapSocket(s, serverHostname: "localhost");
                        t.SendAll(payload);
                    }
                    else s.SendAll(payload);
                    int got = 0;
                    while (got < Message)
                    {
                        int n = t is not null ? t.RecvInto(back.AsSpan(got)) : s.RecvInto(back.AsSpan(got));
                        if (n == 0) break;
                        got += n;
                    }
                    st = t is null ? SoakStream.Of(s) : SoakStream.Of(t);
                    if (got == Message && back.AsSpan().SequenceEqual(payload)) verified++;
                    else errors.Add($"client {i}: {got} bytes back");
                    latencies.Add(sw.Elapsed.TotalSeconds);
                    st.Close();
                }
                catch (PySocketException e)
                {
                    if (errors.Count < 5) errors.Add($"client {i}: {e.PythonTypeName} {e.Message}");
                    s.Close();
                }
            }
        }
        finally
        {
            stop.Set();
            server.Join();
            int held = conns.Count;
            foreach (var c in conns.Values) c.Stream.Close();
            foreach (var s in silentPeers) s.Close();
            listener.Close();
            r.Figure("server connections open at the end (silent peers still held)", $"{held}");
        }
        if (serverError is not null) errors.Add("server: " + serverError.Message);
        latencies.Sort();
        double p50 = latencies.Count > 0 ? latencies[latencies.Count / 2] : double.NaN, max = latencies.Count > 0 ? latencies[^1] : double.NaN;
        ctx.Say($"  {(tls ? "TLS: " : "")}{silent} silent + {real} real: accepted {accepted}, {verified}/{real} echoed, round trip p50 {p50 * 1000:0} ms max {max * 1000:0} ms");
        r.ConnectionsHeld = silent + real;
        r.BytesVerified = 2L * verified * Message;
        r.InputsTried = silent;
        r.Figure("accepted by the one-thread epoll server", $"{accepted} of {silent + real}{(tls ? " (TLS handshakes non-blocking, do_handshake_on_connect=False)" : "")}");
        r.Figure("other clients' connect + echo of 64 KiB", $"{verified}/{real} verified, p50 {p50 * 1000:0} ms, max {max * 1000:0} ms");
        r.Require("every connection is accepted, the silent ones included", accepted == silent + real, $"{accepted}/{silent + real}");
        r.Require("every other client is served while the silent peers sit", verified == real && serverError is null && max < 10,
            $"{verified}/{real} echoed, max {max * 1000:0} ms" + (errors.Count > 0 ? " — " + string.Join("; ", errors.Take(5)) : ""));
        return r;
    }

    static void Serve(SocketObject listener, SslContext? sctx, Dictionary<int, Conn> conns, ManualResetEventSlim stop, ref int accepted)
    {
        listener.SetBlocking(false);
        using var ep = new EpollObject();
        ep.Register(listener.Fileno(), POLLIN);
        var buf = new byte[Message];
        while (!stop.IsSet)
        {
            foreach (var (fd, ev) in ep.Poll(0.2, 1024))
            {
                if (fd == listener.Fileno())
                {
                    while (true)
                    {
                        SocketObject a;
                        try
                        {
                            a = listener.AcceptSocket(out _);
                        }
                        catch (PySocketException e) when (SoakStream.WouldBlock(e))
                        {
                            break;
                        }
                        accepted++;
                        a.SetBlocking(false);
                        // wrap_socket takes the descriptor over (the plain object's fileno() is -1 afterwards).
                        var c = new Conn(a, sctx?.WrapSocket(a, serverSide: true, doHandshakeOnConnect: false));
                        conns[c.Stream.Fd] = c;
                        ep.Register(c.Stream.Fd, c.Interest);
                    }
                    continue;
                }
                if (!conns.TryGetValue(fd, out var conn)) continue;
                try
                {
                    Step(conn, buf);
                }
                catch (PySocketException)
                {
                    conn.Interest = 0; // the client went away mid-handshake or mid-echo: drop it
                }
                if (conn.Interest == 0)
                {
                    ep.Unregister(fd);
                    conn.Stream.Close();
                    conns.Remove(fd);
                }
                else ep.Modify(fd, conn.Interest);
            }
        }
    }

    /// <summary>One readiness event: handshake step, or read what is there and echo it (keeping any unsent rest).</summary>
    static void Step(Conn c, byte[] buf)
    {
        if (!c.Handshaken)
        {
            try
            {
                c.Tls!.DoHandshake();
                c.Handshaken = true;
            }
            catch (PySocketException e) when (e.Kind == PyErrorKind.SSLWantReadError)
            {
                c.Interest = POLLIN;
                return;
            }
            catch (PySocketException e) when (e.Kind == PyErrorKind.SSLWantWriteError)
            {
                c.Interest = POLLOUT;
                return;
            }
        }
        if (c.Pending is { } p)
        {
            int w = c.Stream.Send(p);
            if (w < 0) w = 0;
            c.Pending = w < p.Length ? p[w..] : null;
            c.Interest = c.Pending is null ? POLLIN : POLLOUT;
            if (c.Pending is not null) return;
        }
        int n = c.Stream.RecvInto(buf);
        if (n < 0)
        {
            c.Interest = POLLIN;
            return;
        }
        if (n == 0)
        {
            c.Interest = 0;
            return;
        }
        int sent = Math.Max(0, c.Stream.Send(buf.AsSpan(0, n)));
        c.Pending = sent < n ? buf.AsSpan(sent, n - sent).ToArray() : null;
        c.Interest = c.Pending is null ? POLLIN : POLLOUT;
    }
}
