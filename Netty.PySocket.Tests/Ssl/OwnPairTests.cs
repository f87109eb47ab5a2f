using System.Diagnostics;
using System.Security.Cryptography;
using Netty.PySocket.Errors;
using Netty.PySocket.Socket;
using Netty.PySocket.Ssl;
using static Netty.PySocket.Tests.Ssl.SslTestKit;

namespace Netty.PySocket.Tests.Ssl;

/// <summary>Our client against our server: modes, bulk integrity, unwrap, bad input.</summary>
public class OwnPairTests
{
    static (SslSocket Client, SslSocket Server) Pair(bool handshake = true)
    {
        SocketObject l = Listen();
        try
        {
            var serverCtx = ServerContext();
            SocketObject c = Connect(Port(l));
            SocketObject s = l.AcceptSocket(out _);
            SslSocket server = serverCtx.WrapSocket(s, serverSide: true, doHandshakeOnConnect: false);
            SslSocket client = ClientContext().WrapSocket(c, serverHostname: "localhost", doHandshakeOnConnect: false);
            if (handshake)
            {
                Task t = Task.Run(server.DoHandshake);
                client.DoHandshake();
                t.GetAwaiter().GetResult();
            }
            return (client, server);
        }
        finally
        {
            l.Close();
        }
    }

    /// <summary>Retries a non-blocking call while it raises SSLWantRead/WriteError (bounded, no sleeps).</summary>
    static T Retry<T>(Func<T> f)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return f();
            }
            catch (PySocketException e) when (e.Kind is PyErrorKind.SSLWantReadError or PyErrorKind.SSLWantWriteError && sw.Elapsed < TimeSpan.FromSeconds(20))
            {
                Thread.Yield();
            }
        }
    }

    [Fact]
    public void NonBlockingHandshakeAndRecvRaiseWantRead()
    {
        var (client, server) = Pair(handshake: false);
        try
        {
            client.SetBlocking(false);
            server.SetBlocking(false);
            var e = Assert.Throws<PySocketException>(() => client.DoHandshake());
            Assert.Equal(PyErrorKind.SSLWantReadError, e.Kind);
            Assert.Equal(2, e.Errno);
            Assert.Equal("The operation did not complete (read) (_ssl.c:1006)", e.Message);
            Retry(() => { server.DoHandshake(); return 0; });
            Retry(() => { client.DoHandshake(); return 0; });
            var r = Assert.Throws<PySocketException>(() => client.Recv(10));
            Assert.Equal(PyErrorKind.SSLWantReadError, r.Kind);
            Assert.Equal("The operation did not complete (read) (_ssl.c:2580)", r.Message);
            Assert.Equal(5, server.Send("hello"u8));
            Assert.Equal("hello"u8.ToArray(), Retry(() => client.Recv(10)));
            Assert.Equal(0, client.Pending());
        }
        finally
        {
            client.Close();
            server.Close();
        }
    }

    [Fact]
    public void TimeoutModeMessages()
    {
        var (client, server) = Pair();
        try
        {
            client.SetTimeout(0.05);
            var e = Assert.Throws<PySocketException>(() => client.Recv(10));
            Assert.Equal(PyErrorKind.Timeout, e.Kind);
            Assert.Equal("The read operation timed out", e.Message);
            server.SendAll("x"u8);
            Assert.Equal("x"u8.ToArray(), client.Recv(10));
        }
        finally
        {
            client.Close();
            server.Close();
        }
    }

    [Fact]
    public void HandshakeTimeoutMessage()
    {
        SocketObject l = Listen();
        try
        {
            SocketObject c = Connect(Port(l));
            c.SetTimeout(0.1);
            var e = Assert.Throws<PySocketException>(() => { ClientContext().WrapSocket(c, serverHostname: "localhost"); });
            Assert.Equal(PyErrorKind.Timeout, e.Kind);
            Assert.Equal("_ssl.c:989: The handshake operation timed out", e.Message);
        }
        finally
        {
            l.Close();
        }
    }

    [Fact]
    public void BulkTransferEachWayWithSha256()
    {
        var (client, server) = Pair();
        try
        {
            const int size = 256 * 1024 * 1024; // issue 4: 256 MiB each way
            byte[] data = RandomNumberGenerator.GetBytes(size);
            byte[] expected = SHA256.HashData(data);
            foreach ((SslSocket from, SslSocket to) in new[] { (client, server), (server, client) })
            {
                var sw = Stopwatch.StartNew();
                Task sender = Task.Run(() => from.SendAll(data));
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buf = new byte[256 * 1024];
                long got = 0;
                while (got < size)
                {
                    int n = to.RecvInto(buf);
                    Assert.NotEqual(0, n);
                    sha.AppendData(buf, 0, n);
                    got += n;
                }
                sender.GetAwaiter().GetResult();
                Assert.Equal(expected, sha.GetHashAndReset());
                Console.WriteLine($"TLS 256 MiB: {size / sw.Elapsed.TotalSeconds / 1e6:F0} MB/s");
            }
        }
        finally
        {
            client.Close();
            server.Close();
        }
    }

    [Fact]
    public void UnwrapWithDataBeforeAndAfter()
    {
        var (client, server) = Pair();
        client.SendAll("tls-data"u8);
        Assert.Equal("tls-data"u8.ToArray(), ReadExactly(server, 8));
        Task<SocketObject> serverUnwrap = Task.Run(() =>
        {
            Assert.Empty(server.Recv(10)); // the client's close_notify
            SocketObject plain = server.Unwrap();
            plain.SendAll("plain-after"u8);
            return plain;
        });
        SocketObject c = client.Unwrap();
        SocketObject s = serverUnwrap.GetAwaiter().GetResult();
        Assert.Equal("plain-after"u8.ToArray(), Socket.Loopback.ReadExactly(c, 11));
        c.SendAll("back"u8);
        Assert.Equal("back"u8.ToArray(), Socket.Loopback.ReadExactly(s, 4));
        c.Close();
        s.Close();
    }

    /// <summary>
    /// A plain send on a dup of a wrapped socket writes its bytes as they are (CPython writes to the descriptor),
    /// so the peer's TLS layer sees a corrupted stream.
    /// </summary>
    [Fact]
    public void PlainSendOnDupBypassesTls()
    {
        var (client, server) = Pair();
        SocketObject dup = server.Socket.Dup();
        try
        {
            server.SendAll("A\n"u8);
            Assert.Equal("A\n"u8.ToArray(), ReadExactly(client, 2));
            dup.SendAll("please corrupt the SSL connection"u8);
            client.SetTimeout(30);
            var e = Assert.Throws<PySocketException>(() => client.Recv(100));
            Assert.Equal((PyErrorKind.SSLError, "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:2580)"), (e.Kind, e.Message));
        }
        finally
        {
            dup.Close();
            client.Close();
            server.Close();
        }
    }

    [Fact]
    public void RaggedEofFromOurPeer()
    {
        var (client, server) = Pair();
        client.SuppressRaggedEofs = false;
        server.SendAll("bye"u8);
        server.Close();
        Assert.Equal("bye"u8.ToArray(), ReadExactly(client, 3));
        var e = Assert.Throws<PySocketException>(() => client.Recv(10));
        Assert.Equal(PyErrorKind.SSLEOFError, e.Kind);
        client.Close();
    }

    [Fact]
    public void BadInputAsCPython()
    {
        var ctx = new SslContext(SslConstants.PROTOCOL_TLS_SERVER);
        var e = Assert.Throws<PySocketException>(() => ctx.LoadCertChain(Certs.P("missing.pem")));
        Assert.Equal("FileNotFoundError", e.PythonTypeName);
        Assert.Equal(2, e.Errno);
        e = Assert.Throws<PySocketException>(() => ctx.LoadCertChain(Certs.P("server.pem"), Certs.P("server-enc.key"), "wrong"));
        Assert.Equal((PyErrorKind.SSLError, 524297, "[SSL] PEM lib (_ssl.c:3926)"), (e.Kind, e.Errno!.Value, e.Message));
        e = Assert.Throws<PySocketException>(() => ctx.LoadCertChain(Certs.P("server.pem"), Certs.P("other.key")));
        Assert.Equal((PyErrorKind.SSLError, 116, "[X509: KEY_VALUES_MISMATCH] key values mismatch (_ssl.c:3926)"), (e.Kind, e.Errno!.Value, e.Message));
        Assert.Equal("KEY_VALUES_MISMATCH", e.SslInfo()!.Reason);
        e = Assert.Throws<PySocketException>(() => ctx.LoadCertChain(Certs.P("server.pem"), Certs.P("server-enc.key"), 5));
        Assert.Equal((PyErrorKind.TypeError, "password should be a string or callable"), (e.Kind, e.Message));
        ctx.LoadCertChain(Certs.P("server.pem"), Certs.P("server-enc.key"), "secret");
        ctx.LoadCertChain(Certs.P("server.pem"), Certs.P("server-enc.key"), "secret"u8.ToArray());
        ctx.LoadCertChain(Certs.P("server.pem"), Certs.P("server-enc.key"), new Func<object?>(() => "secret"));
        ctx.LoadCertChain(Certs.P("server-combined.pem"));

        var client = new SslContext(SslConstants.PROTOCOL_TLS_CLIENT);
        e = Assert.Throws<PySocketException>(() => { client.WrapSocket(new SocketObject()); });
        Assert.Equal((PyErrorKind.ValueError, "check_hostname requires server_hostname"), (e.Kind, e.Message));
        var udp = new SocketObject(type: Netty.PySocket.Net.SocketConstants.SOCK_DGRAM);
        e = Assert.Throws<PySocketException>(() => { client.WrapSocket(udp, serverHostname: "localhost"); });
        Assert.Equal((PyErrorKind.NotImplementedError, "only stream sockets are supported"), (e.Kind, e.Message));
        udp.Close();
        e = Assert.Throws<PySocketException>(() => client.VerifyMode = SslConstants.CERT_NONE);
        Assert.Equal("Cannot set verify_mode to CERT_NONE when check_hostname is enabled.", e.Message);
        e = Assert.Throws<PySocketException>(() => client.SetCiphers("FOO"));
        Assert.Equal((PyErrorKind.SSLError, "No cipher can be selected."), (e.Kind, e.Message));
        Assert.Null(e.Errno);
        e = Assert.Throws<PySocketException>(() => client.LoadVerifyLocations());
        Assert.Equal(PyErrorKind.TypeError, e.Kind);
        e = Assert.Throws<PySocketException>(() => client.LoadVerifyLocations(cadata: "xx"));
        Assert.Equal("no start line: cadata does not contain a certificate (_ssl.c:4020)", e.Message);
        client.LoadVerifyLocations(cadata: File.ReadAllText(Certs.P("ca.pem")));
        client.LoadVerifyLocations(cadata: SslModule.PEM_cert_to_DER_cert(File.ReadAllText(Certs.P("ca.pem"))));
        Assert.Equal(2, client.CertStoreStats()["x509_ca"]);
        client.CheckHostname = false;
        client.VerifyMode = SslConstants.CERT_NONE;
        client.CheckHostname = true;
        Assert.Equal(SslConstants.CERT_REQUIRED, client.VerifyMode);
        Assert.Equal(SslConstants.DefaultOptions, client.Options);
        Assert.Equal(SslConstants.TLSv1_2, client.MinimumVersion);
        client.SetCiphers("ECDHE+AESGCM:!aNULL");
    }

    [Fact]
    public void ModuleFunctionsAsCPython()
    {
        string pem = File.ReadAllText(Certs.P("server.pem"));
        byte[] der = SslModule.PEM_cert_to_DER_cert(pem);
        Assert.Equal(File.ReadAllBytes(Certs.P("server.der")), der);
        Assert.Equal(PyRepr($"ssl.DER_cert_to_PEM_cert(open({Repr(Certs.P("server.der"))},'rb').read())"), Repr(SslModule.DER_cert_to_PEM_cert(der)));
        Assert.Equal(1515144883L, SslModule.cert_time_to_seconds("Jan  5 09:34:43 2018 GMT"));
        foreach (string f in new[] { "server.pem", "expired.pem", "client.pem", "ca.pem", "selfsigned.pem" })
        {
            Assert.Equal(PyRepr($"_ssl._test_decode_cert({Repr(Certs.P(f))})"), Repr(SslModule.TestDecodeCert(Certs.P(f))));
        }
        var paths = SslModule.GetDefaultVerifyPaths();
        Assert.Equal(PyRepr("tuple(ssl.get_default_verify_paths())"), Repr(new object?[] { paths.Cafile, paths.Capath, paths.OpensslCafileEnv, paths.OpensslCafile, paths.OpensslCapathEnv, paths.OpensslCapath }!));
    }
}
