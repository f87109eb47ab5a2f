using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Netty.PySocket.Ssl;
using static Netty.PySocket.Tests.Ssl.SslTestKit;

namespace Netty.PySocket.Tests.Ssl;

/// <summary>Our TLS client, handshaken with a System.Net SslStream server on loopback (the caller-thread tests' setup).</summary>
internal sealed class SslStreamPeer : IDisposable
{
    readonly X509Certificate2 cert;
    readonly System.Net.Sockets.Socket listener;
    readonly System.Net.Sockets.Socket accepted;

    SslStreamPeer(X509Certificate2 cert, System.Net.Sockets.Socket listener, System.Net.Sockets.Socket accepted, SslStream server, SslSocket client)
    {
        this.cert = cert;
        this.listener = listener;
        this.accepted = accepted;
        Server = server;
        Client = client;
    }

    public SslStream Server { get; }
    public SslSocket Client { get; }

    public static async Task<SslStreamPeer> ConnectAsync()
    {
        var cert = X509Certificate2.CreateFromPemFile(Certs.P("server.pem"), Certs.P("server.key"));
        var l = new System.Net.Sockets.Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        l.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        l.Listen(1);
        var c = Connect(((IPEndPoint)l.LocalEndPoint!).Port);
        System.Net.Sockets.Socket s = await l.AcceptAsync();
        var server = new SslStream(new NetworkStream(s, true));
        Task hs = server.AuthenticateAsServerAsync(cert);
        SslSocket client = ClientContext().WrapSocket(c, serverHostname: "localhost");
        await hs;
        return new SslStreamPeer(cert, l, s, server, client);
    }

    public void Dispose()
    {
        Client.Close();
        Server.Dispose();
        accepted.Dispose();
        listener.Dispose();
        cert.Dispose();
    }
}
