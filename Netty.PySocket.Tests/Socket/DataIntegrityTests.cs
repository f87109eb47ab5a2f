using System.Net.Sockets;
using System.Security.Cryptography;
using Netty.PySocket.Socket;

namespace Netty.PySocket.Tests.Socket;

/// <summary>Nothing is lost: bytes accepted by sendall reach the peer even when close follows at once.</summary>
public class DataIntegrityTests
{
    /// <param name="loopReads">
    /// The event loop's read is pending at close (a select handed the reads back): .NET makes a close that cancels an
    /// operation abortive, a reset that loses the send queue, unless something prevents it (PyTcpChannel.DoClose).
    /// </param>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CloseRightAfterSendallOf64MiBLosesNothing(bool loopReads)
    {
        const int size = 64 * 1024 * 1024;
        var data = new byte[size];
        new Random(42).NextBytes(data);
        byte[] expected = SHA256.HashData(data);

        var (peer, ours) = Loopback.WithNetClient();
        byte[]? actual = null;
        long received = 0;
        Exception? failure = null;
        var reader = new Thread(() =>
        {
            try
            {
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buf = new byte[256 * 1024];
                int n;
                while ((n = peer.Receive(buf)) > 0)
                {
                    sha.AppendData(buf, 0, n);
                    received += n;
                }
                actual = sha.GetHashAndReset();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        reader.Start();
        if (loopReads) Assert.Empty(Netty.PySocket.Select.SelectModule.Select([ours], [], [], 0).Readable);
        ours.SendAll(data);
        ours.Close();
        Assert.True(reader.Join(TimeSpan.FromSeconds(60)), "peer never saw EOF");
        peer.Dispose();
        Assert.Null(failure);
        Assert.Equal(size, received);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void BulkBothWaysBetweenOurSocketsIsIntact()
    {
        const int size = 8 * 1024 * 1024;
        var a = new byte[size];
        var b = new byte[size];
        new Random(1).NextBytes(a);
        new Random(2).NextBytes(b);
        var (c, s) = Loopback.Pair();
        try
        {
            byte[]? gotAtServer = null;
            var t = new Thread(() =>
            {
                var sender = new Thread(() => s.SendAll(b));
                sender.Start();
                gotAtServer = Loopback.ReadExactly(s, size);
                sender.Join();
            });
            t.Start();
            c.SendAll(a);
            byte[] gotAtClient = Loopback.ReadExactly(c, size);
            Assert.True(t.Join(TimeSpan.FromSeconds(60)));
            Assert.Equal(SHA256.HashData(a), SHA256.HashData(gotAtServer!));
            Assert.Equal(SHA256.HashData(b), SHA256.HashData(gotAtClient));
        }
        finally
        {
            c.Close();
            s.Close();
        }
    }

    [Fact]
    public void SlowReaderStaysWithinTheReadBufferBound()
    {
        var (peer, ours) = Loopback.WithNetClient();
        try
        {
            // A select hands the reads to the event loop (a socket only ever read by blocking recv leaves its
            // bytes in the kernel: CallerReadsTests); from then on the loop reads ahead, up to the bound.
            Netty.PySocket.Select.SelectModule.Select([ours], [], [], 0.01);
            Assert.False(ours.Core.CallerOwnsReads);
            peer.Blocking = false;
            var chunk = new byte[64 * 1024];
            long sent = 0;
            // Push until we paused reading and the peer's kernel buffers stay full: the writer is held back,
            // our memory is not the sink. (No event says "kernel buffers full": poll for it, bounded.)
            SocketCore core = ours.Core;
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var blockedSince = System.Diagnostics.Stopwatch.StartNew();
            while (sw.Elapsed < TimeSpan.FromSeconds(20))
            {
                int n = peer.Send(chunk, 0, chunk.Length, SocketFlags.None, out SocketError err);
                if (err == SocketError.WouldBlock)
                {
                    if (core.ReadPaused && blockedSince.Elapsed > TimeSpan.FromMilliseconds(300)) break;
                    Thread.Sleep(1);
                    continue;
                }
                blockedSince.Restart();
                sent += n;
            }
            Assert.True(core.ReadPaused, "reading from the network should be paused");
            // One in-flight read beyond the mark is allowed (AutoRead takes effect after the current read).
            Assert.InRange(core.BufferedBytes, SocketCore.ReadHighWaterMark, SocketCore.ReadHighWaterMark + 1024 * 1024);
            Assert.True(sent > core.BufferedBytes, "the rest must still be in kernel buffers, not in ours");

            // Draining resumes reading and every byte arrives.
            peer.Blocking = true;
            peer.Shutdown(SocketShutdown.Send);
            long drained = 0;
            var buf = new byte[128 * 1024];
            int r;
            while ((r = ours.RecvInto(buf)) > 0) drained += r;
            Assert.Equal(sent, drained);
        }
        finally
        {
            peer.Dispose();
            ours.Close();
        }
    }
}
