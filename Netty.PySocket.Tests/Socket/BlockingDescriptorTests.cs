using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Netty.PySocket.Errors;
using Netty.PySocket.Select;
using Netty.PySocket.Socket;
using Netty.PySocket.Tests.Select;
using static Netty.PySocket.Net.SocketConstants;

namespace Netty.PySocket.Tests.Socket;

/// <summary>
/// A blocking-mode recv that owns the reads sleeps in recv(2) on a descriptor with O_NONBLOCK cleared
/// (SocketCore.BlockingDescriptor, design/recv.md "Blocking descriptor"); everything else that needs the descriptor
/// sets the flag back first, and close, shutdown, resets and select still reach the sleeper.
/// </summary>
[Collection(nameof(DescriptorNumbers))]
public class BlockingDescriptorTests
{
    [DllImport("libc", EntryPoint = "fcntl")]
    static extern int Fcntl(int fd, int cmd, int arg);

    const int F_GETFL = 3, O_NONBLOCK = 0x800;

    static bool NonBlockingFlag(SocketObject s) => (Fcntl(s.Fileno(), F_GETFL, 0) & O_NONBLOCK) != 0;

    /// <summary>A pair whose server side has a blocking recv asleep in recv(2) on the blocking descriptor.</summary>
    static (SocketObject Client, SocketObject Server, Task<byte[]> Recv) PairWithSleeper(int flags = 0)
    {
        var (c, s) = Loopback.Pair();
        // The first recv owns the reads; the loop's read parks on the next arrival; the second recv sleeps in recv(2).
        var first = Task.Run(() => s.Recv(64));
        SelectHelpers.SpinUntil(() => s.Core.CallerOwnsReads, "a blocking recv to own the reads");
        c.SendAll("1"u8);
        Assert.Equal("1"u8.ToArray(), first.Result);
        c.SendAll("2"u8);
        SelectHelpers.SpinUntil(() => s.Core.LoopReadParked, "the event loop's read to park");
        Assert.Equal("2"u8.ToArray(), s.Recv(64));
        var sleeper = Task.Run(() => s.Recv(64, flags));
        SelectHelpers.SpinUntil(() => s.Core.DescriptorBlocking && s.Core.KernelWaiters > 0, "the recv to sleep on the blocking descriptor");
        return (c, s, sleeper);
    }

    [Fact]
    public void BlockingRecvSleepsInTheKernelOnABlockingDescriptor()
    {
        var (c, s, sleeper) = PairWithSleeper();
        try
        {
            Assert.False(NonBlockingFlag(s));
            Assert.False(sleeper.IsCompleted);
            c.SendAll("hello"u8);
            Assert.Equal("hello"u8.ToArray(), sleeper.Result);
            // Non-blocking and timeout calls on the same descriptor still never block.
            s.SetBlocking(false);
            Assert.Equal(Errno.EAGAIN, Assert.Throws<PySocketException>(() => s.Recv(64)).Errno);
            s.SetTimeout(0.05);
            Assert.Equal(PyErrorKind.Timeout, Assert.Throws<PySocketException>(() => s.Recv(64)).Kind);
        }
        finally
        {
            SelectHelpers.CloseAll(c, s);
        }
    }

    [Fact]
    public void PeekWhileAsleepLeavesTheBytesForTheNextRecv()
    {
        var (c, s, sleeper) = PairWithSleeper(MSG_PEEK);
        try
        {
            c.SendAll("abc"u8);
            Assert.Equal("abc"u8.ToArray(), sleeper.Result);
            Assert.Equal("abc"u8.ToArray(), s.Recv(64));
        }
        finally
        {
            SelectHelpers.CloseAll(c, s);
        }
    }

    [Fact]
    public void CloseWakesTheSleeperWithEbadf()
    {
        var (c, s, sleeper) = PairWithSleeper();
        try
        {
            s.Close();
            Assert.True(((IAsyncResult)sleeper).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(5)), "close did not wake the recv");
            var e = Assert.IsType<PySocketException>(sleeper.Exception!.InnerException);
            Assert.Equal(Errno.EBADF, e.Errno);
        }
        finally
        {
            SelectHelpers.CloseAll(c, s);
        }
    }

    [Fact]
    public void ShutdownAndPeerCloseEndTheSleepWithEof()
    {
        var (c, s, sleeper) = PairWithSleeper();
        try
        {
            s.Shutdown(SHUT_RD);
            Assert.Empty(sleeper.Result);
        }
        finally
        {
            SelectHelpers.CloseAll(c, s);
        }
        (c, s, sleeper) = PairWithSleeper();
        try
        {
            c.Close();
            Assert.Empty(sleeper.Result);
        }
        finally
        {
            SelectHelpers.CloseAll(c, s);
        }
    }

    [Fact]
    public void PeerResetReachesTheSleeper()
    {
        var (c, s, sleeper) = PairWithSleeper();
        try
        {
            c.SetSockOpt(SOL_SOCKET, SO_LINGER, new byte[8] { 1, 0, 0, 0, 0, 0, 0, 0 });
            c.Close();
            var e = Assert.IsType<PySocketException>(Assert.Throws<AggregateException>(() => sleeper.Result).InnerException);
            Assert.Equal(Errno.ECONNRESET, e.Errno);
            Assert.Empty(s.Recv(64)); // then EOF, as on Linux
        }
        finally
        {
            SelectHelpers.CloseAll(c, s);
        }
    }

    [Fact]
    public void AQueuedWriteMakesTheDescriptorNonBlockingFirst()
    {
        var (c, s, sleeper) = PairWithSleeper();
        try
        {
            // send() queues what the full send buffer does not take: the event loop's send(2) must not find a
            // blocking descriptor (it would stall the loop until the peer reads).
            var chunk = new byte[256 * 1024];
            long sent = 0;
            s.SetTimeout(5.0);
            while (s.Core.QueuedWrites == 0) sent += s.Send(chunk);
            Assert.False(s.Core.DescriptorBlocking);
            Assert.True(NonBlockingFlag(s));
            long got = 0;
            while (got < sent) got += c.Recv(1 << 20).Length;
            Assert.Equal(sent, got);
            c.SendAll("x"u8);
            Assert.Equal("x"u8.ToArray(), sleeper.Result);
        }
        finally
        {
            SelectHelpers.CloseAll(c, s);
        }
    }

    [Fact]
    public void SelectOnAnotherThreadGetsTheReadsBackInStreamOrder()
    {
        var (c, s, sleeper) = PairWithSleeper();
        try
        {
            // The watcher hands reads back to the loop; the sleeper keeps what arrives first (at most one slice).
            var watch = Task.Run(() => SelectModule.Select([s], [], [], 5.0));
            SelectHelpers.SpinUntil(() => !s.Core.CallerOwnsReads, "select to take the reads back");
            Assert.True(NonBlockingFlag(s));
            c.SendAll("first"u8);
            Assert.Equal("first"u8.ToArray(), sleeper.Result);
            c.SendAll("second"u8);
            Assert.Same(s, Assert.Single(watch.Result.Readable));
            Assert.Equal("second"u8.ToArray(), s.Recv(64));
        }
        finally
        {
            SelectHelpers.CloseAll(c, s);
        }
    }

    [Fact]
    public void TheSliceInSoRcvtimeoIsNotTheUsers()
    {
        var (c, s, sleeper) = PairWithSleeper();
        try
        {
            Assert.Equal(0, s.GetSockOpt(SOL_SOCKET, SO_RCVTIMEO));
            Assert.Equal(new byte[16], s.GetSockOpt(SOL_SOCKET, SO_RCVTIMEO, 16));
            c.SendAll("a"u8);
            Assert.Equal("a"u8.ToArray(), sleeper.Result);
            var timeval = new byte[16];
            BinaryPrimitives.WriteInt64LittleEndian(timeval, 7);
            s.SetSockOpt(SOL_SOCKET, SO_RCVTIMEO, timeval);
            Assert.Equal(timeval, s.GetSockOpt(SOL_SOCKET, SO_RCVTIMEO, 16));
            Assert.False(s.Core.DescriptorBlocking);
            // With the user's own SO_RCVTIMEO a blocking recv waits in poll(2) instead (and still gets its bytes).
            var next = Task.Run(() => s.Recv(64));
            SelectHelpers.SpinUntil(() => s.Core.KernelWaiters > 0, "the recv to wait");
            Assert.False(s.Core.DescriptorBlocking);
            c.SendAll("b"u8);
            Assert.Equal("b"u8.ToArray(), next.Result);
        }
        finally
        {
            SelectHelpers.CloseAll(c, s);
        }
    }
}
