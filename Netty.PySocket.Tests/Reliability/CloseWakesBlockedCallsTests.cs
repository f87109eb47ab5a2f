using Netty.PySocket.Errors;
using Netty.PySocket.Select;
using Netty.PySocket.Socket;
using Netty.PySocket.Tests.Socket;
using static Netty.PySocket.Select.PollEvents;

namespace Netty.PySocket.Tests.Reliability;

/// <summary>
/// Issue 8 faults: close() from another thread wakes a thread blocked on the socket in recv, accept, sendall,
/// select, poll or epoll.poll. Each is repeated and the slowest wake-up is recorded in the figures; the bound asserted
/// here is 1 s (the design target is 100 ms; a loaded 2-core CI machine cannot promise that, the figure shows it).
/// </summary>
public class CloseWakesBlockedCallsTests
{
    const int Repeats = 5;
    static readonly TimeSpan Bound = TimeSpan.FromSeconds(1);

    /// <summary>Blocks <paramref name="blocked"/> on a thread, closes, records and bounds the wake-up; returns what it ended with.</summary>
    static (object? Result, Exception? Error) CloseWhileBlocked(string op, Func<object?> blocked, Action close, Func<bool>? waitsInKernel = null)
    {
        var (result, error, after) = BlockedCall.Inject(op, blocked, close, TimeSpan.FromSeconds(10), waitsInKernel);
        ReliabilityFigures.Max($"close wakes blocked {op}: slowest of {Repeats} (ms)", after.TotalMilliseconds);
        ReliabilityFigures.Add("faults injected: close from another thread while blocked");
        Assert.True(after < Bound, $"{op} woke after {after.TotalMilliseconds:0} ms");
        return (result, error);
    }

    static void AssertEbadf(Exception? e)
    {
        var p = Assert.IsType<PySocketException>(e);
        Assert.Equal(Errno.EBADF, p.Errno);
    }

    [Fact]
    public void Recv()
    {
        for (int i = 0; i < Repeats; i++)
        {
            var (c, s) = Loopback.Pair();
            AssertEbadf(CloseWhileBlocked("recv", () => s.Recv(10), s.Close, () => s.Core.KernelWaiters > 0).Error);
            c.Close();
        }
    }

    [Fact]
    public void Accept()
    {
        for (int i = 0; i < Repeats; i++)
        {
            var l = Loopback.Listener();
            AssertEbadf(CloseWhileBlocked("accept", () => l.Accept(), l.Close, () => l.Core.KernelWaiters > 0).Error);
        }
    }

    [Fact]
    public void SendAll()
    {
        var big = new byte[32 * 1024 * 1024];
        for (int i = 0; i < Repeats; i++)
        {
            var (peer, ours) = Loopback.WithNetClient();
            AssertEbadf(CloseWhileBlocked("sendall", () => { ours.SendAll(big); return null; }, ours.Close, () => ours.Core.KernelWaiters > 0).Error);
            peer.Dispose();
        }
    }

    [Fact]
    public void Select()
    {
        for (int i = 0; i < Repeats; i++)
        {
            var (c, s) = Loopback.Pair();
            int fd = s.Fileno();
            // As CPython on Linux would see it: the closed descriptor is reported (the next call on it raises EBADF).
            var (result, error) = CloseWhileBlocked("select", () => SelectModule.SelectFds([fd], [], [], null), s.Close);
            Assert.Null(error);
            Assert.Equal(0, Assert.Single(((SelectIndices)result!).Readable)); // index into the read list
            c.Close();
        }
    }

    [Fact]
    public void Poll()
    {
        for (int i = 0; i < Repeats; i++)
        {
            var (c, s) = Loopback.Pair();
            int fd = s.Fileno();
            var p = SelectModule.Poll();
            p.Register(s, POLLIN);
            var (result, error) = CloseWhileBlocked("poll", () => p.Poll(null), s.Close);
            Assert.Null(error);
            Assert.Equal([(fd, POLLNVAL)], (List<(int, int)>)result!);
            c.Close();
        }
    }

    [Fact]
    public void EpollPoll()
    {
        for (int i = 0; i < Repeats; i++)
        {
            var (c, s) = Loopback.Pair();
            using var ep = SelectModule.Epoll();
            int fd = s.Fileno();
            ep.Register(s, EPOLLIN);
            var (result, error) = CloseWhileBlocked("epoll.poll", () => ep.Poll(-1), s.Close);
            // Reported once as POLLNVAL, then dropped (EpollTests.ClosedSocketIsReportedOnceAndDropped).
            Assert.Null(error);
            Assert.Equal([(fd, POLLNVAL)], (List<(int, int)>)result!);
            c.Close();
        }
    }
}
