using System.Net.Sockets;
using Netty.PySocket.Errors;
using Netty.PySocket.Net;
using Netty.PySocket.Select;
using Netty.PySocket.Socket;
using Netty.PySocket.Tests.Socket;
using static Netty.PySocket.Select.PollEvents;
using static Netty.PySocket.Tests.Select.SelectHelpers;
using static Netty.PySocket.Tests.Select.SelectTests;

namespace Netty.PySocket.Tests.Select;

[Collection(nameof(DescriptorNumbers))]
public class PollTests
{
    const int All = 0xFFFF;

    [Fact]
    public void StatesReportLinuxBits()
    {
        // Values from python3 on Linux: fresh 0x14 (default mask), connected 0x104|... with mask 0xffff.
        var fresh = new SocketObject();
        var (c, s) = Loopback.Pair();
        var l = Loopback.Listener();
        try
        {
            var p = SelectModule.Poll();
            p.Register(fresh);
            Assert.Equal([(fresh.Fileno(), POLLOUT | POLLHUP)], p.Poll(0));
            p.Unregister(fresh.Fileno());
            p.Register(s, All);
            p.Register(l, All);
            Assert.Equal([(s.Fileno(), POLLOUT | POLLWRNORM)], p.Poll(0));
            c.SendAll("x"u8);
            // One entry per descriptor per call, events combined.
            Assert.Equal(POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM, PollUntil(p, s.Fileno(), POLLIN));
            Assert.Single(p.Poll(0));
            s.Recv(1);
            Assert.Equal([(s.Fileno(), POLLOUT | POLLWRNORM)], p.Poll(0));
        }
        finally
        {
            CloseAll(fresh, c, s, l);
        }
    }

    [Fact]
    public void PeerShutdownGivesRdhupAndOwnShutdownBothWaysGivesHup()
    {
        var (c, s) = Loopback.Pair();
        try
        {
            var p = SelectModule.Poll();
            p.Register(s, All);
            c.Shutdown(SocketConstants.SHUT_WR);
            // python3: 8517 = IN|RDNORM|OUT|WRNORM|RDHUP after the peer's FIN.
            Assert.Equal(8517, PollUntil(p, s.Fileno(), POLLRDHUP));
            s.Shutdown(SocketConstants.SHUT_WR);
            // python3: 8533 = ... | HUP once both directions are shut.
            Assert.Equal(8533, PollUntil(p, s.Fileno(), POLLHUP));
        }
        finally
        {
            CloseAll(c, s);
        }
    }

    [Fact]
    public void PeerResetGivesErrAndHup()
    {
        var (peer, ours) = Loopback.WithNetClient();
        try
        {
            var p = SelectModule.Poll();
            p.Register(ours, POLLIN);
            peer.LingerState = new LingerOption(true, 0);
            peer.Close();
            int ev = PollUntil(p, ours.Fileno(), POLLERR | POLLHUP);
            Assert.Equal(POLLIN | POLLERR | POLLHUP, ev); // RDHUP/OUT not requested; ERR/HUP always reported
        }
        finally
        {
            peer.Dispose();
            ours.Close();
        }
    }

    [Fact]
    public void ClosedDescriptorReportsPollnvalOnEveryCall()
    {
        var s = new SocketObject();
        int fd = s.Fileno();
        var p = SelectModule.Poll();
        p.Register(fd);
        s.Close();
        Assert.Equal([(fd, POLLNVAL)], p.Poll(0));
        Assert.Equal([(fd, POLLNVAL)], p.Poll(0));
        p.Unregister(fd);
        Assert.Empty(p.Poll(0));
    }

    [Fact]
    public void CloseFromAnotherThreadWakesPoll()
    {
        var (c, s) = Loopback.Pair();
        try
        {
            int fd = s.Fileno();
            SocketCore core = s.Core;
            var p = SelectModule.Poll();
            p.Register(s, POLLIN);
            var waiter = Task.Run(() => p.Poll(null));
            SpinUntil(() => waiter.IsCompleted || core.WatcherCount > 0, "registered");
            s.Close();
            Assert.True(waiter.Wait(TimeSpan.FromSeconds(10)), "poll still asleep after close");
            Assert.Equal([(fd, POLLNVAL)], waiter.Result);
        }
        finally
        {
            CloseAll(c, s);
        }
    }

    [Fact]
    public void InfiniteAndNegativeTimeoutsWaitForData()
    {
        var (c, s) = Loopback.Pair();
        try
        {
            var p = SelectModule.Poll();
            var q = SelectModule.Poll(); // one poll() at a time per object
            p.Register(s, POLLIN);
            q.Register(s, POLLIN);
            Assert.Empty(p.Poll(0));
            Assert.Empty(p.Poll(1.5));
            var forever = Task.Run(() => p.Poll(null));
            var negative = Task.Run(() => q.Poll(-1));
            c.SendAll("x"u8);
            Assert.Equal([(s.Fileno(), POLLIN)], forever.Result);
            Assert.Equal([(s.Fileno(), POLLIN)], negative.Result);
        }
        finally
        {
            CloseAll(c, s);
        }
    }

    [Fact]
    public void ConcurrentPollRaisesRuntimeErrorButRegistrationChangesAreAllowed()
    {
        var (c, s) = Loopback.Pair();
        var (c2, s2) = Loopback.Pair();
        try
        {
            var p = SelectModule.Poll();
            p.Register(s, POLLIN);
            var waiter = Task.Run(() => p.Poll(null));
            SpinUntil(() => waiter.IsCompleted || p.Polling, "first poll entered");
            var e = Assert.Throws<PySocketException>(() => p.Poll(0));
            Assert.Equal(PyErrorKind.RuntimeError, e.Kind);
            Assert.Equal("concurrent poll() invocation", e.Message);
            Assert.Null(e.Errno);
            // CPython allows these while another thread polls.
            p.Register(s2, POLLIN);
            p.Modify(s2, POLLIN | POLLPRI); // nothing s2 has: the waiting poll must not report it
            p.Unregister(s2);
            c.SendAll("x"u8);
            Assert.True(waiter.Wait(TimeSpan.FromSeconds(10)), "first poll never woke");
            Assert.Equal([(s.Fileno(), POLLIN)], waiter.Result);
            Assert.False(p.Polling);
            Assert.Equal([(s.Fileno(), POLLIN)], p.Poll(0)); // the guard is released

            // epoll has no such guard in CPython: concurrent epoll.poll calls both run.
            using var ep = SelectModule.Epoll();
            s.Recv(1);
            ep.Register(s, EPOLLIN);
            var first = Task.Run(() => ep.Poll(10));
            Assert.Empty(ep.Poll(0));
            c.SendAll("y"u8);
            Assert.True(first.Wait(TimeSpan.FromSeconds(10)), "epoll poll never woke");
        }
        finally
        {
            CloseAll(c, s, c2, s2);
        }
    }

    [Fact]
    public void PipesAndFilesAreReportedAsPoll2DoesAlongsideSockets()
    {
        using var pipe = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.Out);
        using var reader = new System.IO.Pipes.AnonymousPipeClientStream(System.IO.Pipes.PipeDirection.In, pipe.ClientSafePipeHandle);
        int rfd = (int)reader.SafePipeHandle.DangerousGetHandle();
        int wfd = (int)pipe.SafePipeHandle.DangerousGetHandle();
        string path = Path.GetTempFileName();
        using var file = File.Open(path, FileMode.Open);
        int filefd = (int)file.SafeFileHandle.DangerousGetHandle();
        var (c, s) = Loopback.Pair();
        try
        {
            var p = SelectModule.Poll();
            p.Register(rfd, POLLIN);
            p.Register(wfd, POLLOUT);
            p.Register(filefd);
            p.Register(s, POLLIN);
            // As CPython 3.11 on Linux: an empty pipe's write end is writable, a regular file is always IN|OUT.
            Assert.Equal([(wfd, POLLOUT), (filefd, POLLIN | POLLOUT)], p.Poll(0));
            p.Unregister(wfd);
            p.Unregister(filefd);

            // A waiting poll wakes for the pipe (re-read in slices) and, at once, for our socket.
            var waiter = Task.Run(() => p.Poll(10_000));
            pipe.WriteByte(42);
            pipe.Flush();
            Assert.True(waiter.Wait(TimeSpan.FromSeconds(5)), "poll did not wake for the pipe");
            Assert.Equal([(rfd, POLLIN)], waiter.Result);
            Assert.Equal(42, reader.ReadByte());
            waiter = Task.Run(() => p.Poll(10_000));
            c.SendAll("x"u8);
            Assert.True(waiter.Wait(TimeSpan.FromSeconds(5)), "poll did not wake for the socket");
            Assert.Equal([(s.Fileno(), POLLIN)], waiter.Result);
        }
        finally
        {
            CloseAll(c, s);
            file.Dispose();
            File.Delete(path);
        }
    }

    [Fact]
    public void RegisterModifyUnregisterAndBadInputAsCPython()
    {
        var (c, s) = Loopback.Pair();
        try
        {
            var p = SelectModule.Poll();
            AssertError(PyErrorKind.KeyError, "77", () => p.Unregister(77));
            var e = Assert.Throws<PySocketException>(() => p.Modify(77, 1));
            Assert.Equal(Errno.ENOENT, e.Errno);
            Assert.Equal("FileNotFoundError", e.PythonTypeName);
            AssertError(PyErrorKind.ValueError, "file descriptor cannot be a negative integer (-1)", () => p.Register(-1));
            AssertError(PyErrorKind.OverflowError, "Python int too large for C unsigned short", () => p.Register(s, 1 << 16));
            AssertError(PyErrorKind.ValueError, "value must be positive", () => p.Register(s, -1));
            AssertError(PyErrorKind.OverflowError, "timeout is too large", () => p.Poll(1L << 31));
            AssertError(PyErrorKind.TypeError, "timeout must be an integer or None", () => p.Poll("1"));
            AssertError(PyErrorKind.OverflowError, "timestamp too large to convert to C _PyTime_t", () => p.Poll(System.Numerics.BigInteger.Pow(10, 30)));

            p.Register(s, POLLIN);
            p.Register(s, POLLOUT); // registering again changes the mask
            Assert.Equal(1, p.Count);
            Assert.Equal([(s.Fileno(), POLLOUT)], p.Poll(0));
            p.Modify(s, POLLIN);
            Assert.Empty(p.Poll(0));
            p.Unregister(s);
            Assert.Equal(0, p.Count);
            Assert.Equal(0, s.Core.WatcherCount);
        }
        finally
        {
            CloseAll(c, s);
        }
    }

    [Fact]
    public void ResultsFollowRegistrationOrder()
    {
        var pairs = Enumerable.Range(0, 5).Select(_ => Loopback.Pair()).ToArray();
        try
        {
            var p = SelectModule.Poll();
            foreach (var (_, s) in pairs.Reverse())
            {
                p.Register(s, POLLIN);
            }
            foreach (var (c, _) in pairs)
            {
                c.SendAll("x"u8);
            }
            foreach (var (_, s) in pairs)
            {
                SelectModule.Select([s], [], [], 10);
            }
            var fds = p.Poll(0).Select(x => x.Fd).ToArray();
            Assert.Equal(pairs.Reverse().Select(x => x.Server.Fileno()).ToArray(), fds);
        }
        finally
        {
            foreach (var (c, s) in pairs)
            {
                CloseAll(c, s);
            }
        }
    }
}
