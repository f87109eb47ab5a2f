using Netty.PySocket.Errors;
using Netty.PySocket.Socket;
using Netty.PySocket.Ssl;
using static Netty.PySocket.Tests.Ssl.SslTestKit;

namespace Netty.PySocket.Tests.Ssl;

/// <summary>Our SSLSocket against CPython's ssl module (python3 subprocess) as server and as client.</summary>
public class CPythonPeerTests
{
    [Fact]
    public void ClientAgainstCPythonServer_GetPeerCertMatchesCPython()
    {
        using var peer = Peer.Python(new { role = "server", certfile = Certs.P("server.pem"), keyfile = Certs.P("server.key"), action = "echo", alpn = new[] { "h2", "http/1.1" } }, server: true);
        var ctx = ClientContext();
        ctx.SetAlpnProtocols(["http/1.1"]);
        SslSocket s = ctx.WrapSocket(Connect(peer.Port), serverHostname: "localhost");
        try
        {
            Assert.Equal("TLSv1.3", s.Version());
            Assert.Equal("http/1.1", s.SelectedAlpnProtocol());
            object[] cipher = s.Cipher()!;
            Assert.Equal("TLSv1.3", cipher[1]);
            Assert.Null(s.Compression());
            string expected = PyRepr($"_ssl._test_decode_cert({Repr(Certs.P("server.pem"))})");
            Assert.Equal(expected, Repr(s.GetPeerCert()));
            Assert.Equal(File.ReadAllBytes(Certs.P("server.der")), (byte[])s.GetPeerCert(true)!);
            s.SendAll("ping over tls"u8);
            Assert.Equal("ping over tls"u8.ToArray(), ReadExactly(s, 13));
        }
        finally
        {
            s.Close();
        }
    }

    [Fact]
    public void ServerAgainstCPythonClient_WithClientCertificate()
    {
        SocketObject l = Listen();
        using var closeL = new Closer(l.Close);
        var ctx = ServerContext();
        ctx.VerifyMode = SslConstants.CERT_REQUIRED;
        ctx.LoadVerifyLocations(Certs.P("ca.pem"));
        ctx.SetAlpnProtocols(["h2", "http/1.1"]);
        using var peer = Peer.Python(new { role = "client", port = Port(l), cafile = Certs.P("ca.pem"), certfile = Certs.P("client.pem"), keyfile = Certs.P("client.key"), hostname = "localhost", alpn = new[] { "http/1.1", "h2" }, action = "info" }, server: false);
        SslSocket s = ctx.WrapSocket(l, serverSide: true).Accept(out _);
        try
        {
            Assert.Equal("h2", s.SelectedAlpnProtocol());
            string expected = PyRepr($"_ssl._test_decode_cert({Repr(Certs.P("client.pem"))})");
            Assert.Equal(expected, Repr(s.GetPeerCert()));
            var info = peer.ReadJson();
            Assert.Equal(PyRepr($"_ssl._test_decode_cert({Repr(Certs.P("server.pem"))})"), info.GetProperty("cert").GetString());
            Assert.Equal(s.Cipher()![0], info.GetProperty("cipher")[0].GetString());
            Assert.Equal(s.Version(), info.GetProperty("version").GetString());
            Assert.Equal("bye"u8.ToArray(), ReadExactly(s, 3));
            s.SendAll("x"u8);
        }
        finally
        {
            s.Close();
        }
    }

    [Theory]
    [InlineData("selfsigned.pem", "selfsigned.key", "localhost", "ca.pem", 18, "self-signed certificate")]
    [InlineData("expired.pem", "expired.key", "localhost", "ca.pem", 10, "certificate has expired")]
    [InlineData("server.pem", "server.key", "localhost", "selfsigned.pem", 20, "unable to get local issuer certificate")]
    [InlineData("server.pem", "server.key", "other.test", "ca.pem", 62, "Hostname mismatch, certificate is not valid for 'other.test'.")]
    [InlineData("server.pem", "server.key", "10.0.0.1", "ca.pem", 64, "IP address mismatch, certificate is not valid for '10.0.0.1'.")]
    public void VerificationFailuresAsCPython(string cert, string key, string host, string ca, int code, string message)
    {
        using var peer = Peer.Python(new { role = "server", certfile = Certs.P(cert), keyfile = Certs.P(key), action = "echo" }, server: true);
        var ctx = ClientContext(Certs.P(ca));
        SocketObject raw = Connect(peer.Port);
        var e = Assert.Throws<PySocketException>(() => { ctx.WrapSocket(raw, serverHostname: host); });
        Assert.Equal(PyErrorKind.SSLCertVerificationError, e.Kind);
        Assert.Equal(1, e.Errno);
        Assert.Equal($"[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: {message} (_ssl.c:1006)", e.Message);
        SslErrorInfo info = e.SslInfo()!;
        Assert.Equal(code, info.VerifyCode);
        Assert.Equal(message, info.VerifyMessage);
        Assert.Equal("SSL", info.Library);
        Assert.Equal("CERTIFICATE_VERIFY_FAILED", info.Reason);
    }

    [Fact]
    public void PlainTextServerGivesWrongVersionNumber()
    {
        SocketObject l = Listen();
        using var closeL = new Closer(l.Close);
        var ctx = ClientContext();
        var t = Task.Run(() =>
        {
            SocketObject c = l.AcceptSocket(out _);
            c.SendAll("HTTP/1.0 200 OK\r\n\r\nhello hello hello"u8);
            return c;
        });
        SocketObject raw = Connect(Port(l));
        var e = Assert.Throws<PySocketException>(() => { ctx.WrapSocket(raw, serverHostname: "localhost"); });
        Assert.Equal(PyErrorKind.SSLError, e.Kind);
        Assert.Equal("[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)", e.Message);
        Assert.Equal("WRONG_VERSION_NUMBER", e.SslInfo()!.Reason);
        t.Result.Close();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RaggedEofFromCPython(bool suppress)
    {
        using var peer = Peer.Python(new { role = "server", certfile = Certs.P("server.pem"), keyfile = Certs.P("server.key"), action = "ragged" }, server: true);
        SslSocket s = ClientContext().WrapSocket(Connect(peer.Port), serverHostname: "localhost", suppressRaggedEofs: suppress);
        try
        {
            Assert.Equal("partial"u8.ToArray(), ReadExactly(s, 7));
            if (suppress)
            {
                Assert.Empty(s.Recv(10));
            }
            else
            {
                var e = Assert.Throws<PySocketException>(() => s.Recv(10));
                Assert.Equal(PyErrorKind.SSLEOFError, e.Kind);
                Assert.Equal(8, e.Errno);
                Assert.Equal("[SSL: UNEXPECTED_EOF_WHILE_READING] EOF occurred in violation of protocol (_ssl.c:2580)", e.Message);
            }
        }
        finally
        {
            s.Close();
        }
    }

    [Fact]
    public void CloseNotifyFromCPythonReadsAsEmpty()
    {
        using var peer = Peer.Python(new { role = "server", certfile = Certs.P("server.pem"), keyfile = Certs.P("server.key"), action = "source", n = 100000, close_notify = true }, server: true);
        SslSocket s = ClientContext().WrapSocket(Connect(peer.Port), serverHostname: "localhost");
        try
        {
            Assert.Equal(Pattern(100000), ReadExactly(s, 100000));
            Assert.Empty(s.Recv(10));
        }
        finally
        {
            s.Close();
        }
    }

    [Fact]
    public void StartTlsBothWaysAgainstCPython_ClientSide()
    {
        using var peer = Peer.Python(new { role = "server", certfile = Certs.P("server.pem"), keyfile = Certs.P("server.key"), action = "starttls" }, server: true);
        SocketObject plain = Connect(peer.Port);
        plain.SendAll("hello"u8);
        Assert.Equal("ok", System.Text.Encoding.ASCII.GetString(plain.Recv(2)));
        SslSocket t = ClientContext().WrapSocket(plain, serverHostname: "localhost");
        t.SendAll("secret"u8);
        Assert.Equal("SECRET"u8.ToArray(), ReadExactly(t, 6));
        SocketObject after = t.Unwrap();
        after.SendAll("after"u8);
        Assert.Equal("AFTER"u8.ToArray(), Socket.Loopback.ReadExactly(after, 5));
        after.SendAll("."u8);
        Assert.True(peer.ReadJson().GetProperty("done").GetBoolean());
        after.Close();
    }

    [Fact]
    public void StartTlsBothWaysAgainstCPython_ServerSide()
    {
        SocketObject l = Listen();
        using var closeL = new Closer(l.Close);
        using var peer = Peer.Python(new { role = "client", port = Port(l), cafile = Certs.P("ca.pem"), hostname = "localhost", action = "starttls" }, server: false);
        SocketObject plain = l.AcceptSocket(out _);
        Assert.Equal("hello"u8.ToArray(), Socket.Loopback.ReadExactly(plain, 5));
        plain.SendAll("ok"u8);
        SslSocket t = ServerContext().WrapSocket(plain, serverSide: true);
        Assert.Equal("secret"u8.ToArray(), ReadExactly(t, 6));
        t.SendAll("SECRET"u8);
        // The client unwraps first: its close_notify makes our recv return b"", then our unwrap answers it.
        Assert.Empty(t.Recv(10));
        SocketObject after = t.Unwrap();
        Assert.Equal("after"u8.ToArray(), Socket.Loopback.ReadExactly(after, 5));
        after.SendAll("AFTER"u8);
        Assert.Equal("AFTER", peer.ReadJson().GetProperty("after").GetString());
        after.Close();
    }
}
