using System.Diagnostics;
using System.Net.Sockets;
using Netty.PySocket.Errors;
using Netty.PySocket.Select;
using Netty.PySocket.Tests.Socket;

namespace Netty.PySocket.Tests.Reliability;

/// <summary>
/// Netty's SocketConditionalWritabilityTest (and, with SocketAutoReadTest, back-pressure): a peer that does not read
/// makes our socket unwritable once the bounded buffers fill (send raises BlockingIOError, select leaves it out of
/// the write list); when the peer drains, select reports it writable again and nothing was lost.
/// </summary>
public class ConditionalWritabilityTests
{
    [Fact]
    public void UnwritableWhileThePeerDoesNotReadWritableAgainAfterItDrains()
    {
        var (peer, ours) = Loopback.WithNetClient();
        try
        {
            int fd = ours.Fileno();
            ours.SetBlocking(false);
            var chunk = new byte[64 * 1024];
            long sent = 0;
            var sw = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    for (int i = 0; i < chunk.Length; i++) chunk[i] = (byte)((sent + i) % 251);
                    sent += ours.Send(chunk);
                }
                catch (PySocketException e) when (e.Errno == Errno.EAGAIN)
                {
                    break;
                }
                Assert.True(sent < 256L * 1024 * 1024, "send never blocked: the buffers are not bounded");
                Assert.True(sw.Elapsed < TimeSpan.FromSeconds(30), "filling took too long");
            }
            ReliabilityFigures.Max("bytes accepted before a non-reading peer blocks send (KiB)", sent / 1024.0);
            Assert.Empty(SelectModule.SelectFds([], [fd], [], 0.0).Writable);

            // The peer drains everything; select must report writable again (after at most what Linux needs).
            var drained = Task.Run(() =>
            {
                var buf = new byte[256 * 1024];
                long got = 0;
                while (got < sent)
                {
                    int n = peer.Receive(buf);
                    if (n == 0) throw new EndOfStreamException();
                    for (int i = 0; i < n; i++)
                    {
                        if (buf[i] != (byte)((got + i) % 251)) throw new InvalidDataException($"byte {got + i} corrupted");
                    }
                    got += n;
                }
                return got;
            });
            Assert.Equal([0], SelectModule.SelectFds([], [fd], [], 20.0).Writable); // indices into the write list
            Assert.True(drained.Wait(TimeSpan.FromSeconds(20)), "peer could not drain");
            Assert.Equal(sent, drained.Result);
            Assert.True(ours.Send("more"u8) > 0);
        }
        finally
        {
            ours.Close();
            peer.Dispose();
        }
    }
}
