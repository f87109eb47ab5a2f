using Netty.PySocket.Errors;
using Netty.PySocket.Socket;
using Netty.PySocket.Ssl;
using static Netty.PySocket.Tests.Ssl.SslTestKit;

namespace Netty.PySocket.Tests.Ssl;

/// <summary>Our SSLSocket against openssl s_server / s_client.</summary>
public class OpenSslPeerTests
{
    [Fact]
    public void ClientAgainstOpenSslServer_AlpnAndSni()
    {
        using var peer = Peer.Start("bash", ["-c",
            $"exec openssl s_server -accept 0 -naccept 1 -cert {Certs.P("server.pem")} -key {Certs.P("server.key")} -alpn h2,http/1.1 -servername alt.test -cert2 {Certs.P("selfsigned.pem")} -key2 {Certs.P("selfsigned.key")} -rev 2>&1 | stdbuf -oL grep -m1 -o 'ACCEPT.*' | stdbuf -oL sed 's/.*:/PORT /'; sleep 30"]);
        string? line = peer.ReadLine();
        Assert.NotNull(line);
        int port = int.Parse(line!["PORT".Length..].Trim());
        var ctx = ClientContext();
        ctx.SetAlpnProtocols(["h2"]);
        SslSocket s = ctx.WrapSocket(Connect(port), serverHostname: "localhost");
        try
        {
            Assert.Equal("h2", s.SelectedAlpnProtocol());
            Assert.Equal("localhost", ((object[])((object[])((Dictionary<string, object>)s.GetPeerCert()!)["subject"])[5])[0] is object[] cn ? cn[1] : null);
            s.SendAll("olleh\n"u8);
            Assert.Equal("hello\n"u8.ToArray(), ReadExactly(s, 6));
        }
        finally
        {
            s.Close();
        }
    }

    /// <summary>openssl s_server -Verify (client certificate required, checked against the CA), -rev echo.</summary>
    static Peer VerifyingServer(out int port)
    {
        var peer = Peer.Start("bash", ["-c",
            $"exec openssl s_server -accept 127.0.0.1:0 -naccept 1 -cert {Certs.P("server.pem")} -key {Certs.P("server.key")} -Verify 1 -CAfile {Certs.P("ca.pem")} -verify_return_error -rev"]);
        string? line = peer.ReadLine();
        while (line is not null && !line.StartsWith("ACCEPT", StringComparison.Ordinal)) line = peer.ReadLine();
        Assert.True(line is not null, "openssl s_server did not start: " + peer.Errors);
        port = int.Parse(line![(line.LastIndexOf(':') + 1)..]);
        return peer;
    }

    [Fact]
    public void ClientCertificateToOpenSslServerWithVerify()
    {
        using var peer = VerifyingServer(out int port);
        var ctx = ClientContext();
        ctx.LoadCertChain(Certs.P("client.pem"), Certs.P("client.key"));
        SslSocket s = ctx.WrapSocket(Connect(port), serverHostname: "localhost");
        try
        {
            s.SendAll("olleh\n"u8);
            Assert.Equal("hello\n"u8.ToArray(), ReadExactly(s, 6));
        }
        finally
        {
            s.Close();
        }
    }

    [Fact]
    public void NoClientCertificateToOpenSslServerWithVerify()
    {
        using var peer = VerifyingServer(out int port);
        SslSocket s = ClientContext().WrapSocket(Connect(port), serverHostname: "localhost");
        try
        {
            // TLS 1.3: the client's handshake completes first; the server's alert arrives with the first read (as CPython).
            s.SendAll("olleh\n"u8);
            var e = Assert.Throws<PySocketException>(() => s.Recv(10));
            Assert.Equal(PyErrorKind.SSLError, e.Kind);
            Assert.Equal("[SSL: TLSV13_ALERT_CERTIFICATE_REQUIRED] tlsv13 alert certificate required (_ssl.c:2580)", e.Message);
        }
        finally
        {
            s.Close();
        }
    }

    [Fact]
    public void ServerAgainstOpenSslClient_SniCallbackAndVerify()
    {
        SocketObject l = Listen();
        using var closeL = new Closer(l.Close);
        var ctx = ServerContext();
        string? seen = null;
        ctx.SniCallback = (sock, name, c) =>
        {
            seen = name;
            return null;
        };
        using var peer = Peer.Start("openssl", ["s_client", "-connect", $"127.0.0.1:{Port(l)}", "-servername", "localhost", "-alpn", "http/1.1",
            "-CAfile", Certs.P("ca.pem"), "-verify", "2", "-verify_return_error", "-verify_hostname", "localhost", "-quiet"]);
        ctx.SetAlpnProtocols(["http/1.1"]);
        SslSocket s = ctx.WrapSocket(l, serverSide: true).Accept(out _);
        try
        {
            Assert.Equal("localhost", seen);
            Assert.Equal("http/1.1", s.SelectedAlpnProtocol());
            peer.Input.Write("from-openssl\n");
            peer.Input.Flush();
            Assert.Equal("from-openssl\n"u8.ToArray(), ReadExactly(s, 13));
            s.SendAll("from-us\n"u8);
            Assert.Equal("from-us", peer.ReadLine());
        }
        finally
        {
            s.Close();
        }
    }

    [Fact]
    public void OpenSslClientWithoutCertificateWhenRequired()
    {
        SocketObject l = Listen();
        using var closeL = new Closer(l.Close);
        var ctx = ServerContext();
        ctx.VerifyMode = SslConstants.CERT_REQUIRED;
        ctx.LoadVerifyLocations(Certs.P("ca.pem"));
        using var peer = Peer.Start("openssl", ["s_client", "-connect", $"127.0.0.1:{Port(l)}", "-tls1_2", "-quiet"]);
        SslSocket listener = ctx.WrapSocket(l, serverSide: true);
        var e = Assert.Throws<PySocketException>(() => { listener.Accept(out _); });
        Assert.Equal(PyErrorKind.SSLError, e.Kind);
        Assert.Contains("PEER_DID_NOT_RETURN_A_CERTIFICATE", e.Message);
    }
}
