using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Netty.PySocket.Errors;
using Netty.PySocket.Socket;
using Netty.PySocket.Ssl;
using NetSocket = System.Net.Sockets.Socket;

namespace Netty.PySocket.Benchmarks.Soak;

/// <summary>
/// Suite 2, TLS: a raw System.Net peer that stops in the middle of a TLS record, reading (it takes 7 bytes of the
/// next record and no more) and sending (only the first 10 bytes of a record reach us). Our writer must block
/// with bounded memory, our reader must time out, and both must fail promptly when the peer goes.
/// </summary>
public static class TlsStoppedPeer
{
    const long Attempt = 1L << 30;
    const int Chunk = 64 * 1024;

    /// <summary>Forwards reads; once <see cref="Cut"/> is set, lets only that many more written bytes through.</summary>
    sealed class CutStream(Stream inner) : Stream
    {
        public int Cut = -1;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => inner.ReadAsync(buffer, offset, count, ct);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => inner.ReadAsync(buffer, ct);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Cut >= 0)
            {
                count = Math.Min(count, Cut);
                Cut -= count;
            }
            if (count > 0) inner.Write(buffer, offset, count);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct)
        {
            Write(buffer, offset, count);
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
        {
            Write(buffer.ToArray(), 0, buffer.Length);
            return ValueTask.CompletedTask;
        }
    }

    static (SslSocket Ours, NetSocket Peer, SslStream PeerTls, CutStream Cut) Connect(SoakContext ctx, NetSocket listener, X509Certificate2 cert)
    {
        var s = new SocketObject();
        s.Connect(new object[] { "127.0.0.1", ((IPEndPoint)listener.LocalEndPoint!).Port });
        var peer = listener.Accept();
        var cut = new CutStream(new NetworkStream(peer, ownsSocket: false));
        var tls = new SslStream(cut);
        var hs = Task.Run(() => tls.AuthenticateAsServer(new SslServerAuthenticationOptions { ServerCertificate = cert }));
        var ours = TestCertificate.ClientContext().WrapSocket(s, serverHostname: "localhost");
        hs.GetAwaiter().GetResult();
        return (ours, peer, tls, cut);
    }

    public static SoakResult Run(SoakContext ctx)
    {
        var r = new SoakResult("2. Slow peers", "TLS peer that stops mid-record (reading, then sending)");
        using var cert = X509CertificateLoader.LoadPkcs12(ctx.Cert.Pkcs12, null);
        using var listener = new NetSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(16);

        // 1. The peer reads 7 bytes of our next record (header + 2) and stops reading.
        var (w, wpeer, wtls, _) = Connect(ctx, listener, cert);
        var before = ProcessStats.Take(settle: true);
        long progress = 0, stalledAt;
        double toError;
        BlockedCall call;
        long grown;
        using (var sampler = new PeakSampler())
        {
            call = new BlockedCall("tls-sendall", () =>
            {
                for (long pos = 0; pos < Attempt; pos += Chunk)
                {
                    w.SendAll(Payload.Slice(pos, Chunk));
                    Interlocked.Add(ref progress, Chunk);
                }
            });
            var head = new byte[7];
            for (int got = 0; got < head.Length;) got += wpeer.Receive(head, got, head.Length - got, SocketFlags.None);
            long last = -1;
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < TimeSpan.FromSeconds(30) && Interlocked.Read(ref progress) != last)
            {
                last = Interlocked.Read(ref progress);
                if (!call.StillBlockedAfter(TimeSpan.FromSeconds(1))) break;
            }
            stalledAt = Interlocked.Read(ref progress);
            grown = sampler.PeakRss - before.RssBytes;
        }
        bool blocked = !call.Ended;
        long t0 = Stopwatch.GetTimestamp();
        wpeer.Close(0); // abortive close: RST
        toError = call.SecondsToEnd(t0, TimeSpan.FromSeconds(30));
        w.Close();
        wtls.Dispose();

        // 2. The peer sends only the first 10 bytes of a record and stops sending.
        var (rd, rpeer, rtls, cutter) = Connect(ctx, listener, cert);
        cutter.Cut = 10;
        rtls.Write(new byte[16 * 1024]);
        rd.SetTimeout(1.0);
        string timeoutOutcome;
        var sw = Stopwatch.StartNew();
        try
        {
            rd.Recv(1024);
            timeoutOutcome = "returned data";
        }
        catch (PySocketException e)
        {
            timeoutOutcome = $"{e.PythonTypeName}({e.Message})";
        }
        double timedOutAfter = sw.Elapsed.TotalSeconds;
        rd.SetTimeout(null);
        var rcall = new BlockedCall("tls-recv", () => rd.Recv(1024));
        bool readerBlocked = rcall.StillBlockedAfter(TimeSpan.FromMilliseconds(500));
        t0 = Stopwatch.GetTimestamp();
        rpeer.Close(0);
        double readerEnd = rcall.SecondsToEnd(t0, TimeSpan.FromSeconds(30));
        rd.Close();
        rtls.Dispose();

        long bound = BufferBound.PerSocket + BufferBound.FixedAllowance;
        ctx.Say($"  TLS writer stalled at {stalledAt:N0} bytes, error after {toError * 1000:0} ms ({call.Outcome}); reader: {timeoutOutcome}, then {rcall.Outcome} after {readerEnd * 1000:0} ms");
        r.ConnectionsHeld = 2;
        r.FaultsInjected = 2;
        r.FaultsSurvived = (call.Error is not null ? 1 : 0) + (rcall.Ended && rcall.Leaked is null ? 1 : 0);
        r.Figure("writer accepted before blocking (peer stopped 7 bytes into a record)", $"{stalledAt:N0} of {Attempt:N0} bytes");
        r.Figure("RSS growth while the TLS writer was blocked", ProcessSnapshot.Mib(grown));
        r.Figure("peer reset -> blocked TLS writer's error", $"{toError * 1000:0} ms, {call.Outcome}");
        r.Figure("reader facing a truncated record, settimeout(1.0)", $"{timeoutOutcome} after {timedOutAfter:0.00} s");
        r.Figure("peer reset -> blocked TLS reader", $"{readerEnd * 1000:0} ms, {rcall.Outcome}");
        r.Require("the TLS writer blocks with memory within the bound", blocked && stalledAt < Attempt && grown <= bound,
            $"stalled at {stalledAt:N0} bytes, grew {ProcessSnapshot.Mib(grown)} <= {ProcessSnapshot.Mib(bound)}");
        r.Require("the blocked TLS writer gets an error promptly when the peer resets", call.Error is not null && toError <= 2, $"{call.Outcome} after {toError * 1000:0} ms");
        r.Require("a reader facing half a record times out (settimeout)", timeoutOutcome.StartsWith("TimeoutError") && timedOutAfter < 10, timeoutOutcome);
        r.Require("the blocked TLS reader returns promptly when the peer resets", readerBlocked && rcall.Ended && rcall.Leaked is null && readerEnd <= 2,
            $"{rcall.Outcome} after {readerEnd * 1000:0} ms");
        return r;
    }
}
