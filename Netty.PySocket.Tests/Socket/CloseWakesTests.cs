using System.Diagnostics;
using Netty.PySocket.Errors;
using Netty.PySocket.Socket;

namespace Netty.PySocket.Tests.Socket;

/// <summary>
/// Closing a socket from another thread wakes a thread blocked on it with OSError(EBADF). CPython on Linux
/// leaves such a thread blocked; waking it is strictly better (design/unification-of-blocking-nonblocking.md).
/// </summary>
public class CloseWakesTests
{
    static PySocketException? BlockedCallFails(Action blocked, Action close, out TimeSpan wokeAfter)
    {
        PySocketException? caught = null;
        using var started = new ManualResetEventSlim();
        var t = new Thread(() =>
        {
            started.Set();
            try
            {
                blocked();
            }
            catch (PySocketException e)
            {
                caught = e;
            }
        });
        t.Start();
        started.Wait();
        // Let the thread reach its wait; correctness does not depend on it (a call on a closed socket fails too).
        Thread.Sleep(50);
        var sw = Stopwatch.StartNew();
        close();
        Assert.True(t.Join(TimeSpan.FromSeconds(5)), "blocked thread was not woken");
        wokeAfter = sw.Elapsed;
        return caught;
    }

    [Fact]
    public void CloseWakesRecv()
    {
        var (c, s) = Loopback.Pair();
        var e = BlockedCallFails(() => s.Recv(10), s.Close, out TimeSpan after);
        Assert.Equal(Errno.EBADF, e?.Errno);
        Assert.True(after < TimeSpan.FromMilliseconds(100), $"woke after {after}");
        c.Close();
    }

    [Fact]
    public void CloseWakesAccept()
    {
        var l = Loopback.Listener();
        var e = BlockedCallFails(() => l.Accept(), l.Close, out TimeSpan after);
        Assert.Equal(Errno.EBADF, e?.Errno);
        Assert.True(after < TimeSpan.FromMilliseconds(100), $"woke after {after}");
    }

    [Fact]
    public void CloseWakesSendallBlockedOnAPeerThatDoesNotRead()
    {
        var (peer, ours) = Loopback.WithNetClient();
        var big = new byte[64 * 1024 * 1024];
        var e = BlockedCallFails(() => ours.SendAll(big), ours.Close, out TimeSpan after);
        Assert.Equal(Errno.EBADF, e?.Errno);
        Assert.True(after < TimeSpan.FromMilliseconds(100), $"woke after {after}");
        peer.Dispose();
    }
}
