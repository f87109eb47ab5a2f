using System.Net.Security;
using Netty.PySocket.Ssl;
using static Netty.PySocket.Tests.Ssl.SslTestKit;

namespace Netty.PySocket.Tests.Ssl;

/// <summary>
/// Once the handshake is over, a TLS send encrypts on the caller's thread and writes to the socket itself: it does
/// not need the event loop (here: held busy), and the records stay in order with the pipeline's.
/// </summary>
public class CallerThreadWriteTests
{
    [Fact]
    public async Task SendWhileTheEventLoopIsBusyReachesThePeer()
    {
        using SslStreamPeer peer = await SslStreamPeer.ConnectAsync();
        SslStream server = peer.Server;
        SslSocket client = peer.Client;
        using var release = new ManualResetEventSlim();
        try
        {
            // Bytes that went through the pipeline first, then ours from the caller's thread: order kept.
            client.SendAll("first."u8);
            var loopBusy = new ManualResetEventSlim();
            client.Socket.Core.ConnectedChannel!.EventLoop.Execute(() =>
            {
                loopBusy.Set();
                release.Wait(TimeSpan.FromSeconds(60));
            });
            Assert.True(loopBusy.Wait(TimeSpan.FromSeconds(30)));
            client.SendAll("second"u8);
            var buf = new byte[12];
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            for (int got = 0; got < 12;)
            {
                int n = await server.ReadAsync(buf.AsMemory(got), cts.Token);
                Assert.NotEqual(0, n);
                got += n;
            }
            Assert.Equal("first.second"u8.ToArray(), buf);
        }
        finally
        {
            release.Set();
            client.Close();
        }
    }
}
