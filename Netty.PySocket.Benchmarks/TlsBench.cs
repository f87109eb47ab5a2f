using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Netty.PySocket.Socket;
using Netty.PySocket.Ssl;
using NetSocket = System.Net.Sockets.Socket;

namespace Netty.PySocket.Benchmarks;

/// <summary>TLS bulk, 64-byte ping-pong and handshakes/s (RSA 2048 and ECDSA P-256): ours (SslContext/SslSocket)
/// vs raw SslStream over System.Net sockets. Certificates are made at run time with CertificateRequest
/// (self-signed, CN=localhost).</summary>
public sealed class TlsBench : IDisposable
{
    readonly string dir;
    readonly (string CertFile, string KeyFile, X509Certificate2 Cert) rsa, ecdsa;

    public TlsBench()
    {
        dir = Path.Combine(Path.GetTempPath(), "npys-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        using var rsaKey = RSA.Create(2048);
        rsa = Make("rsa", new CertificateRequest("CN=localhost", rsaKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), rsaKey);
        using var ecKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        ecdsa = Make("ecdsa", new CertificateRequest("CN=localhost", ecKey, HashAlgorithmName.SHA256), ecKey);
    }

    (string, string, X509Certificate2) Make(string name, CertificateRequest req, AsymmetricAlgorithm key)
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        req.CertificateExtensions.Add(san.Build());
        using var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        string certFile = Path.Combine(dir, name + "-cert.pem"), keyFile = Path.Combine(dir, name + "-key.pem");
        File.WriteAllText(certFile, cert.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return (certFile, keyFile, X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null));
    }

    public void Dispose()
    {
        rsa.Cert.Dispose();
        ecdsa.Cert.Dispose();
        try { Directory.Delete(dir, true); } catch (IOException) { }
    }

    (SslContext server, SslContext client) Contexts(bool useEcdsa = false)
    {
        var s = new SslContext(SslConstants.PROTOCOL_TLS_SERVER);
        var (certFile, keyFile, _) = useEcdsa ? ecdsa : rsa;
        s.LoadCertChain(certFile, keyFile);
        s.Options |= SslConstants.OP_NO_TICKET;
        var c = new SslContext(SslConstants.PROTOCOL_TLS_CLIENT) { CheckHostname = false };
        c.VerifyMode = SslConstants.CERT_NONE;
        c.Options |= SslConstants.OP_NO_TICKET;
        return (s, c);
    }

    static (SslSocket client, SslSocket conn) OursPair(SocketObject server, SslContext sctx, SslContext cctx)
    {
        var c = new SocketObject();
        c.Connect(server.GetSockName());
        var a = server.AcceptSocket(out _);
        var st = Task.Run(() => sctx.WrapSocket(a, serverSide: true));
        var cs = cctx.WrapSocket(c, serverHostname: "localhost");
        return (cs, st.GetAwaiter().GetResult());
    }

    public double OursHandshakes(int n, bool useEcdsa = false)
    {
        var (sctx, cctx) = Contexts(useEcdsa);
        var server = new SocketObject();
        server.Bind(new object[] { "127.0.0.1", 0 });
        server.Listen(16);
        try
        {
            var (c0, a0) = OursPair(server, sctx, cctx); c0.Close(); a0.Close(); // warm-up
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < n; i++) { var (c, a) = OursPair(server, sctx, cctx); c.Close(); a.Close(); }
            return n / Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        finally { server.Close(); }
    }

    public double OursBulk(long total, int chunk)
    {
        var (sctx, cctx) = Contexts();
        var server = new SocketObject();
        server.Bind(new object[] { "127.0.0.1", 0 });
        server.Listen(16);
        var (c, a) = OursPair(server, sctx, cctx);
        try
        {
            long end = 0;
            var rx = new Thread(() =>
            {
                var buf = new byte[chunk];
                long got = 0;
                while (got < total) { int n = a.RecvInto(buf); if (n == 0) throw new IOException("EOF"); got += n; }
                end = Stopwatch.GetTimestamp();
            }) { IsBackground = true };
            rx.Start();
            long t0 = Stopwatch.GetTimestamp();
            for (long pos = 0; pos < total;) { int len = (int)Math.Min(chunk, total - pos); c.SendAll(Payload.Slice(pos, len)); pos += len; }
            rx.Join();
            return total / Stopwatch.GetElapsedTime(t0, end).TotalSeconds / 1e6;
        }
        finally { c.Close(); a.Close(); server.Close(); }
    }

    /// <summary>64-byte request/response round trips per second over one TLS connection (blocking).</summary>
    public double OursPingPong(int n)
    {
        var (sctx, cctx) = Contexts();
        var server = new SocketObject();
        server.Bind(new object[] { "127.0.0.1", 0 });
        server.Listen(16);
        var (c, a) = OursPair(server, sctx, cctx);
        try
        {
            c.Socket.SetSockOpt(6, 1, 1); // TCP_NODELAY, as the TCP ping-pong
            a.Socket.SetSockOpt(6, 1, 1);
            var echo = new Thread(() =>
            {
                var buf = new byte[64];
                for (int i = 0; i < n; i++)
                {
                    for (int got = 0; got < 64;) { int r = a.RecvInto(buf.AsSpan(got)); if (r == 0) throw new IOException("EOF"); got += r; }
                    a.SendAll(buf);
                }
            }) { IsBackground = true };
            echo.Start();
            var msg = new byte[64];
            var reply = new byte[64];
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < n; i++)
            {
                c.SendAll(msg);
                for (int got = 0; got < 64;) { int r = c.RecvInto(reply.AsSpan(got)); if (r == 0) throw new IOException("EOF"); got += r; }
            }
            double rate = n / Stopwatch.GetElapsedTime(t0).TotalSeconds;
            echo.Join();
            return rate;
        }
        finally { c.Close(); a.Close(); server.Close(); }
    }

    public double RawPingPong(int n)
    {
        using var l = new NetSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        l.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        l.Listen(16);
        var (c, a) = RawPair(l, noDelay: true);
        try
        {
            var echo = new Thread(() =>
            {
                var buf = new byte[64];
                for (int i = 0; i < n; i++)
                {
                    a.ReadExactly(buf);
                    a.Write(buf);
                }
            }) { IsBackground = true };
            echo.Start();
            var msg = new byte[64];
            var reply = new byte[64];
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < n; i++)
            {
                c.Write(msg);
                c.ReadExactly(reply);
            }
            double rate = n / Stopwatch.GetElapsedTime(t0).TotalSeconds;
            echo.Join();
            return rate;
        }
        finally { c.Dispose(); a.Dispose(); }
    }

    (SslStream client, SslStream conn) RawPair(NetSocket listener, bool useEcdsa = false, bool noDelay = false)
    {
        var c = new NetSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        c.Connect(listener.LocalEndPoint!);
        var a = listener.Accept();
        c.NoDelay = a.NoDelay = noDelay;
        var ss = new SslStream(new NetworkStream(a, true));
        var cs = new SslStream(new NetworkStream(c, true));
        var st = Task.Run(() => ss.AuthenticateAsServer(new SslServerAuthenticationOptions
        {
            ServerCertificate = useEcdsa ? ecdsa.Cert : rsa.Cert, AllowTlsResume = false, EnabledSslProtocols = SslProtocols.None,
        }));
        cs.AuthenticateAsClient(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost", AllowTlsResume = false,
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        });
        st.GetAwaiter().GetResult();
        return (cs, ss);
    }

    public double RawHandshakes(int n, bool useEcdsa = false)
    {
        using var l = new NetSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        l.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        l.Listen(16);
        var (c0, a0) = RawPair(l, useEcdsa); c0.Dispose(); a0.Dispose();
        long t0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < n; i++) { var (c, a) = RawPair(l, useEcdsa); c.Dispose(); a.Dispose(); }
        return n / Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    public double RawBulk(long total, int chunk)
    {
        using var l = new NetSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        l.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        l.Listen(16);
        var (c, a) = RawPair(l);
        try
        {
            long end = 0;
            var rx = new Thread(() =>
            {
                var buf = new byte[chunk];
                long got = 0;
                while (got < total) { int n = a.Read(buf); if (n == 0) throw new IOException("EOF"); got += n; }
                end = Stopwatch.GetTimestamp();
            }) { IsBackground = true };
            rx.Start();
            long t0 = Stopwatch.GetTimestamp();
            for (long pos = 0; pos < total;) { int len = (int)Math.Min(chunk, total - pos); c.Write(Payload.Slice(pos, len)); pos += len; }
            rx.Join();
            return total / Stopwatch.GetElapsedTime(t0, end).TotalSeconds / 1e6;
        }
        finally { c.Dispose(); a.Dispose(); }
    }
}
