using System.Net.Security;
using Netty.PySocket.Ssl;
using static Netty.PySocket.Tests.Ssl.SslTestKit;

namespace Netty.PySocket.Tests.Ssl;

/// <summary>
/// Once the handshake is over, a TLS recv that finds nothing decrypted reads the kernel's ciphertext itself and
/// decrypts it on its own thread: it does not need the event loop (here: held busy), and what the loop already
/// delivered comes first.
/// </summary>
public class CallerThreadReadTests
{
    [Fact]
    public async Task RecvWhileTheEventLoopIsBusyGetsThePeersRecordsInOrder()
    {
        using SslStreamPeer peer = await SslStreamPeer.ConnectAsync();
        SslStream server = peer.Server;
        SslSocket client = peer.Client;
        using var release = new ManualResetEventSlim();
        try
        {
            client.SetTimeout(20.0); // a failure ends in a timeout, not a hang
            // Delivered by the event loop (select hands it the reads): must come before what the caller reads itself.
            await server.WriteAsync("first."u8.ToArray());
            Netty.PySocket.Select.SelectModule.Select([client.Socket], [], [], 30.0);
            Assert.True(SpinWait.SpinUntil(() => client.Pending() == 6, TimeSpan.FromSeconds(30)));

            var loopBusy = new ManualResetEventSlim();
            client.Socket.Core.ConnectedChannel!.EventLoop.Execute(() =>
            {
                loopBusy.Set();
                release.Wait(TimeSpan.FromSeconds(60));
            });
            Assert.True(loopBusy.Wait(TimeSpan.FromSeconds(30)));
            // Several records (and, on loopback, in our kernel buffer once the write returned).
            byte[] bulk = Pattern(40_000);
            await server.WriteAsync(bulk);
            Assert.Equal("first."u8.ToArray(), ReadExactly(client, 6));
            Assert.Equal(bulk, ReadExactly(client, bulk.Length));
        }
        finally
        {
            release.Set();
            client.Close();
        }
    }

    [Fact]
    public async Task APlainRecvIntoAfterCallerOwnedTlsReadsGetsWhatTheTlsLayerDelivers()
    {
        // Python's SSLSocket.shutdown() drops its SSL object and later recv calls are the plain socket's
        // (test_asyncio.test_ssl's test_remote_shutdown_receives_trailing_data): they must not wait in the kernel
        // for bytes only the TLS layer can read (they spun there until the timeout).
        using SslStreamPeer peer = await SslStreamPeer.ConnectAsync();
        SslStream server = peer.Server;
        SslSocket client = peer.Client;
        try
        {
            client.SetTimeout(20.0);
            await server.WriteAsync("ping"u8.ToArray());
            Assert.Equal("ping"u8.ToArray(), ReadExactly(client, 4));
            Assert.True(client.Socket.Core.CallerOwnsReads);
            byte[] bulk = Pattern(100_000);
            Task write = server.WriteAsync(bulk).AsTask();
            var got = new byte[bulk.Length];
            int n = 0;
            while (n < got.Length) n += client.Socket.RecvInto(got.AsSpan(n));
            Assert.Equal(bulk, got);
            await write;
        }
        finally
        {
            client.Close();
        }
    }

    [Fact]
    public async Task BlockingRecvOwnsTheReadsAndStillSeesCloseNotify()
    {
        using SslStreamPeer peer = await SslStreamPeer.ConnectAsync();
        SslStream server = peer.Server;
        SslSocket client = peer.Client;
        try
        {
            client.SetTimeout(20.0); // a failure ends in a timeout, not a hang
            Task<byte[]> first = Task.Run(() => client.Read(64));
            Assert.True(SpinWait.SpinUntil(() => client.Socket.Core.CallerOwnsReads, TimeSpan.FromSeconds(30)),
                "a blocking TLS recv should own the socket's reads");
            await server.WriteAsync("ping"u8.ToArray());
            Assert.Equal("ping"u8.ToArray(), await first);
            // The loop stays parked after the recv; what comes next waits in the kernel for the next recv,
            // which feeds the close_notify to the TLS layer itself.
            Assert.True(client.Socket.Core.CallerOwnsReads);
            await server.ShutdownAsync();
            Assert.Empty(client.Read(64));
        }
        finally
        {
            client.Close();
        }
    }
}
