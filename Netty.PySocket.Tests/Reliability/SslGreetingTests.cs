using Netty.PySocket.Socket;
using Netty.PySocket.Ssl;
using Netty.PySocket.Tests.Socket;
using Netty.PySocket.Tests.Ssl;

namespace Netty.PySocket.Tests.Reliability;

/// <summary>
/// Netty's SocketSslGreetingTest: the server speaks first, right after the handshake, and the client reads the
/// greeting without having sent anything; and SocketSslSessionReuseTest: a second connection with the same
/// contexts works (session_reused stays False: .NET's SslStream does not report resumption, design/ssl.md).
/// </summary>
public class SslGreetingTests
{
    static (SslSocket Client, SslSocket Server) Connect(SslContext clientCtx, SslContext serverCtx)
    {
        var (c, s) = Loopback.Pair();
        c.SetTimeout(10);
        s.SetTimeout(10);
        SslSocket server = serverCtx.WrapSocket(s, serverSide: true, doHandshakeOnConnect: false);
        SslSocket client = clientCtx.WrapSocket(c, serverHostname: "localhost", doHandshakeOnConnect: false);
        Task hs = Task.Run(server.DoHandshake);
        client.DoHandshake();
        Assert.True(hs.Wait(TimeSpan.FromSeconds(10)), "server handshake");
        return (client, server);
    }

    [Fact]
    public void ServerGreetsFirstAndTheClientReadsItWithoutSendingAnything()
    {
        var (client, server) = Connect(SslTestKit.ClientContext(), SslTestKit.ServerContext());
        try
        {
            server.SendAll("220 greeting\r\n"u8);
            Assert.Equal("220 greeting\r\n"u8.ToArray(), SslTestKit.ReadExactly(client, 14));
            client.SendAll("QUIT\r\n"u8);
            Assert.Equal("QUIT\r\n"u8.ToArray(), SslTestKit.ReadExactly(server, 6));
        }
        finally
        {
            client.Close();
            server.Close();
        }
    }

    [Fact]
    public void SecondConnectionWithTheSameContextsWorks()
    {
        SslContext clientCtx = SslTestKit.ClientContext(), serverCtx = SslTestKit.ServerContext();
        for (int i = 0; i < 2; i++)
        {
            var (client, server) = Connect(clientCtx, serverCtx);
            try
            {
                client.SendAll("x"u8);
                Assert.Equal("x"u8.ToArray(), SslTestKit.ReadExactly(server, 1));
                Assert.False(client.SessionReused);
            }
            finally
            {
                client.Close();
                server.Close();
            }
        }
    }
}
