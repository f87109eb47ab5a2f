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

/// <summary>TLS bulk and handshakes/s: ours (SslContext/SslSocket) vs raw SslStream over System.Net sockets.
/// Certificates are made at run time with CertificateRequest (RSA 2048, self-signed, CN=localhost).</summary>
public sealed class TlsBench : IDisposable
{
    readonly string dir;
    readonly string certFile, keyFile;
    readonly X509Certificate2 serverCert;

    public TlsBench()
    {
        dir = Path.Combine(Path.GetTempPath(), "npys-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        using var rsa = RSA.Create(2048);
        var req = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        req.CertificateExtensions.Add(san.Build());
        using var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        certFile = Path.Combine(dir, "cert.pem");
        keyFile = Path.Combine(dir, "key.pem");
        File.WriteAllText(certFile, cert.ExportCertificatePem());
        File.WriteAllText(keyFile, rsa.ExportPkcs8PrivateKeyPem());
        serverCert = X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose()
    {
        serverCert.Dispose();
        try { Directory.Delete(dir, true); } catch (IOException) { }
    }

    (SslContext server, SslContext client) Contexts()
    {
        var s = new SslContext(SslConstants.PROTOCOL_TLS_SERVER);
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

    public double OursHandshakes(int n)
    {
        var (sctx, cctx) = Contexts();
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

    (SslStream client, SslStream conn) RawPair(NetSocket listener)
    {
        var c = new NetSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        c.Connect(listener.LocalEndPoint!);
        var a = listener.Accept();
        var ss = new SslStream(new NetworkStream(a, true));
        var cs = new SslStream(new NetworkStream(c, true));
        var st = Task.Run(() => ss.AuthenticateAsServer(new SslServerAuthenticationOptions
        {
            ServerCertificate = serverCert, AllowTlsResume = false, EnabledSslProtocols = SslProtocols.None,
        }));
        cs.AuthenticateAsClient(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost", AllowTlsResume = false,
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        });
        st.GetAwaiter().GetResult();
        return (cs, ss);
    }

    public double RawHandshakes(int n)
    {
        using var l = new NetSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        l.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        l.Listen(16);
        var (c0, a0) = RawPair(l); c0.Dispose(); a0.Dispose();
        long t0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < n; i++) { var (c, a) = RawPair(l); c.Dispose(); a.Dispose(); }
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
