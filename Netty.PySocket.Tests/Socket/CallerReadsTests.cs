using System.Security.Cryptography;
using Netty.PySocket.Errors;
using Netty.PySocket.Select;
using Netty.PySocket.Socket;
using Netty.PySocket.Tests.Select;
using static Netty.PySocket.Net.SocketConstants;

namespace Netty.PySocket.Tests.Socket;

/// <summary>
/// Blocking recv/sendall wait in the kernel (SocketCore.CallerReads, SocketCore.KernelWait): the event loop's read
/// parks while callers own the reads and re-arms for whatever needs the pipeline (design/recv.md).
/// </summary>
[Collection(nameof(DescriptorNumbers))]
public class CallerReadsTests
{
    static readonly byte[] Ping = "ping"u8.ToArray();

    /// <summary>A pair whose server side took one message with a blocking recv (callers own its reads).</summary>
    static (SocketObject Client, SocketObject Server) PairAfterBlockingRecv()
    {
        var (c, s) = Loopback.Pair();
        var got = Task.Run(() => s.Recv(64));
        SelectHelpers.SpinUntil(() => s.Core.CallerOwnsReads, "a blocking recv on a plain socket to own the reads");
        c.SendAll(Ping);
        Assert.Equal(Ping, got.Result);
        Assert.True(s.Core.CallerOwnsReads);
        return (c, s);
    }

    /// <summary>
    /// Parks the server side's event-loop read: the next arrival completes its pending read, which then parks instead
    /// of reading (the caller may have taken "ping" before that read noticed it). Leaves the kernel empty.
    /// </summary>
    static void Park(SocketObject c, SocketObject s)
    {
        c.SendAll("!"u8);
        SelectHelpers.SpinUntil(() => s.Core.LoopReadParked, "the event loop's read to park");
        Assert.Equal(0, s.Core.BufferedBytes);
        Assert.Equal("!"u8.ToArray(), s.Recv(64));
    }

    [Fact]
    public void BlockingRecvParksTheLoopAndLeavesLaterBytesInTheKernel()
    {
        var (c, s) = PairAfterBlockingRecv();
        try
        {
            c.SendAll(new byte[1000]);
            // The loop's pending read completes on this arrival and parks instead of reading.
            SelectHelpers.SpinUntil(() => s.Core.LoopReadParked, "the event loop's read to park");
            var peek = new byte[1000];
            s.SetBlocking(false);
            SelectHelpers.SpinUntil(() => Peek(s, peek) == 1000, "the bytes to reach the kernel");
            Assert.Equal(0, s.Core.BufferedBytes);
            Assert.Equal(1000, s.Recv(2000).Length);
        }
        finally
        {
            SelectHelpers.CloseAll(c, s);
        }
    }

    [Fact]
    public void UnreadBytesStayInTheKernelWhileCallersOwnTheReads()
    {
        var (c, s) = Loopback.Pair();
        try
        {
            Assert.True(s.Core.CallerOwnsReads, "a connected socket starts with callers owning its reads");
            // Fill until the sender's kernel is full: with nobody reading, none of it may land in our buffer.
            c.SetBlocking(false);
            long sent = 0;
            var chunk = new byte[64 * 1024];
            while (true)
            {
                try
                {
                    sent += c.Send(chunk);
                }
                catch (PySocketException e) when (e.Errno == Errno.EAGAIN)
                {
                    break;
                }
            }
            Assert.True(sent > 0);
            Assert.Equal(0, s.Core.BufferedBytes);
            c.Close();
            long got = 0;
            var buf = new byte[256 * 1024];
            int n;
            while ((n = s.RecvInto(buf)) > 0) got += n;
            Assert.Equal(sent, got);
        }
        finally
        {
            SelectHelpers.CloseAll(c, s);
        }
    }

    [Fact]
    public void SelectThatReturnsAtOnceStillReportsBytesWaitingInTheKernel()
    {
        var (c, s) = Loopback.Pair();
        var other = new SocketObject(); // fresh: writable at once, so select does not wait
        try
        {
            c.SendAll(Ping);
            s.SetBlocking(false);
            var peek = new byte[4];
            SelectHelpers.SpinUntil(() => Peek(s, peek) == 4, "the bytes to reach the kernel");
            Assert.True(s.Core.CallerOwnsReads);
            Assert.Equal(0, s.Core.BufferedBytes);
            var r = SelectModule.Select([s], [other], [], 5);
            Assert.Same(other, Assert.Single(r.Writable));
            Assert.Same(s, Assert.Single(r.Readable));
            Assert.False(s.Core.CallerOwnsReads, "asking for readiness hands the reads back to the event loop");
            Assert.Equal(Ping, s.Recv(64));
        }
        finally
        {
            SelectHelpers.CloseAll(c, s, other);
        }
    }

    static int Peek(SocketObject s, byte[] into)
    {
        try
        {
            return s.RecvInto(into, 0, into.Length, MSG_PEEK);
        }
        catch (PySocketException e) when (e.Errno == Errno.EAGAIN)
        {
            return 0;
        }
    }

    [Fact]
    public void SelectAfterCallerReadsSeesBytesThatArriveLater()
    {
        var (c, s) = PairAfterBlockingRecv();
        try
        {
            Park(c, s);
            var selecting = Task.Run(() => SelectModule.Select([s], [], [], 10));
            SelectHelpers.SpinUntil(() => !s.Core.CallerOwnsReads, "select's watcher to take the reads back");
            c.SendAll(Ping);
            Assert.Same(s, Assert.Single(selecting.Result.Readable));
            Assert.Equal(Ping, s.Recv(64));
        }
        finally
        {
            SelectHelpers.CloseAll(c, s);
        }
    }

    [Fact]
    public void PollAfterCallerReadsSeesBytesAlreadyInTheKernel()
    {
        var (c, s) = PairAfterBlockingRecv();
        try
        {
            Park(c, s);
            c.SendAll(Ping);
            var p = new PollObject();
            p.Register(s, POLLIN_);
            // Timeout 5 s: the answer must come from the re-armed event loop, not from a zero-timeout catch-up.
            var ready = p.Poll(5000);
            Assert.Equal((s.Fileno(), POLLIN_), Assert.Single(ready));
            Assert.Equal(Ping, s.Recv(64));
        }
        finally
        {
            SelectHelpers.CloseAll(c, s);
        }
    }

    const int POLLIN_ = 1;

    [Fact]
    public void TimedOutRecvLeavesTheSocketReadable()
    {
        var (c, s) = PairAfterBlockingRecv();
        try
        {
            s.SetTimeout(0.05);
            var e = Assert.Throws<PySocketException>(() => s.Recv(64));
            Assert.Equal(PyErrorKind.Timeout, e.Kind);
            c.SendAll(Ping);
            Assert.Equal(Ping, s.Recv(64));
        }
        finally
        {
            SelectHelpers.CloseAll(c, s);
        }
    }

    [Fact]
    public void ShutdownWakesARecvWaitingInTheKernel()
    {
        var (c, s) = Loopback.Pair();
        try
        {
            var blocked = Task.Run(() => s.Recv(64));
            SelectHelpers.SpinUntil(() => s.Core.CallerOwnsReads, "the recv to wait in the kernel");
            s.Shutdown(SHUT_RD);
            Assert.True(blocked.Wait(TimeSpan.FromSeconds(5)), "recv was not woken by shutdown(SHUT_RD)");
            Assert.Empty(blocked.Result);
        }
        finally
        {
            SelectHelpers.CloseAll(c, s);
        }
    }

    [Fact]
    public void SendAllTimesOutWhenThePeerDoesNotRead()
    {
        var (c, s) = Loopback.Pair();
        try
        {
            s.SetTimeout(0.2);
            var e = Assert.Throws<PySocketException>(() => s.SendAll(new byte[64 << 20]));
            Assert.Equal(PyErrorKind.Timeout, e.Kind);
        }
        finally
        {
            SelectHelpers.CloseAll(c, s);
        }
    }

    [Fact]
    public void SendAllAfterQueuedNonBlockingSendsKeepsStreamOrder()
    {
        var (c, s) = Loopback.Pair();
        try
        {
            // Fill the kernel and the pipeline with non-blocking sends (these queue writes in the channel)...
            s.SetBlocking(false);
            var expected = new MemoryStream();
            var chunk = new byte[32 * 1024];
            for (int i = 0; ; i++)
            {
                chunk.AsSpan().Fill((byte)i);
                int n;
                try
                {
                    n = s.Send(chunk);
                }
                catch (PySocketException e) when (e.Errno == Errno.EAGAIN)
                {
                    break;
                }
                expected.Write(chunk, 0, n);
            }
            // ...then a blocking sendall must queue behind them, never overtake them through the kernel.
            s.SetBlocking(true);
            var tail = RandomNumberGenerator.GetBytes(3 << 20);
            expected.Write(tail);
            long total = expected.Length;
            var reader = Task.Run(() => Loopback.ReadExactly(c, (int)total));
            s.SendAll(tail);
            Assert.True(expected.ToArray().AsSpan().SequenceEqual(reader.Result), "stream reordered or corrupted");
        }
        finally
        {
            SelectHelpers.CloseAll(c, s);
        }
    }
}
