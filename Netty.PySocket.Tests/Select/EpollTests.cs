using Netty.PySocket.Errors;
using Netty.PySocket.Select;
using Netty.PySocket.Socket;
using Netty.PySocket.Tests.Socket;
using static Netty.PySocket.Select.PollEvents;
using static Netty.PySocket.Tests.Select.SelectHelpers;
using static Netty.PySocket.Tests.Select.SelectTests;

namespace Netty.PySocket.Tests.Select;

[Collection(nameof(DescriptorNumbers))]
public class EpollTests
{
    static List<(int Fd, int Events)> WaitFor(EpollObject ep, int fd)
    {
        var r = ep.Poll(10);
        Assert.Contains(r, x => x.Fd == fd);
        return r;
    }

    [Fact]
    public void LevelTriggeredReportsWhileReady()
    {
        var (c, s) = Loopback.Pair();
        using var ep = SelectModule.Epoll();
        try
        {
            ep.Register(s, EPOLLIN);
            Assert.Empty(ep.Poll(0));
            c.SendAll("x"u8);
            Assert.Equal([(s.Fileno(), (int)EPOLLIN)], WaitFor(ep, s.Fileno()));
            Assert.Equal([(s.Fileno(), (int)EPOLLIN)], ep.Poll(0));
            s.Recv(1);
            Assert.Empty(ep.Poll(0));
            ep.Modify(s, EPOLLIN | EPOLLOUT | EPOLLRDHUP);
            Assert.Equal([(s.Fileno(), (int)EPOLLOUT)], ep.Poll(0));
        }
        finally
        {
            CloseAll(c, s);
        }
    }

    [Fact]
    public void FromFdSharesRegistrationsAndCloseAsCPython()
    {
        var (c, s) = Loopback.Pair();
        var ep = SelectModule.Epoll();
        try
        {
            EpollObject ep2 = SelectModule.EpollFromFd(ep.Fileno());
            Assert.Equal(ep.Fileno(), ep2.Fileno());
            ep2.Register(s, EPOLLIN | EPOLLOUT);
            ep2.Register(c, EPOLLIN | EPOLLOUT);
            Assert.Equal(2, ep.Poll(1).Count);
            Assert.Equal(2, ep2.Poll(1).Count);
            // A registration made through one is the other's too.
            Assert.Equal(Errno.EEXIST, Assert.Throws<PySocketException>(() => ep.Register(s, EPOLLIN)).Errno);
            ep.Close();
            // The descriptor is gone for both; only the object closed says so with ValueError.
            Assert.False(ep2.Closed);
            Assert.Equal(Errno.EBADF, Assert.Throws<PySocketException>(() => ep2.Poll(1)).Errno);
            Assert.Equal(PyErrorKind.ValueError, Assert.Throws<PySocketException>(() => ep.Poll(1)).Kind);
            ep2.Close();
            // Not one of our epoll objects: EBADF when closed, EINVAL when open.
            Assert.Equal(Errno.EBADF, Assert.Throws<PySocketException>(() => SelectModule.EpollFromFd(100_000)).Errno);
            Assert.Equal(Errno.EINVAL, Assert.Throws<PySocketException>(() => SelectModule.EpollFromFd(s.Fileno())).Errno);
        }
        finally
        {
            ep.Close();
            CloseAll(c, s);
        }
    }

    [Fact]
    public void EdgeTriggeredReportsOncePerArrival()
    {
        var (c, s) = Loopback.Pair();
        using var ep = SelectModule.Epoll();
        try
        {
            ep.Register(s, EPOLLIN | EPOLLET);
            c.SendAll("a"u8);
            Assert.Equal([(s.Fileno(), (int)EPOLLIN)], WaitFor(ep, s.Fileno()));
            Assert.Empty(ep.Poll(0)); // data still unread, but no new edge
            c.SendAll("b"u8);
            Assert.Equal([(s.Fileno(), (int)EPOLLIN)], WaitFor(ep, s.Fileno()));
            Assert.Empty(ep.Poll(0));
        }
        finally
        {
            CloseAll(c, s);
        }
    }

    [Fact]
    public void OneShotDisablesUntilModify()
    {
        var (c, s) = Loopback.Pair();
        using var ep = SelectModule.Epoll();
        try
        {
            ep.Register(s, EPOLLIN | EPOLLONESHOT);
            c.SendAll("a"u8);
            WaitFor(ep, s.Fileno());
            Assert.Empty(ep.Poll(0));
            c.SendAll("b"u8);
            Assert.Empty(ep.Poll(0.05)); // disabled: even new data is not reported
            ep.Modify(s, EPOLLIN | EPOLLONESHOT);
            Assert.Equal([(s.Fileno(), (int)EPOLLIN)], ep.Poll(0));
        }
        finally
        {
            CloseAll(c, s);
        }
    }

    [Fact]
    public void MaxEventsLimitsAndRotates()
    {
        var pairs = Enumerable.Range(0, 3).Select(_ => Loopback.Pair()).ToArray();
        using var ep = SelectModule.Epoll();
        try
        {
            foreach (var (c, s) in pairs)
            {
                ep.Register(s, EPOLLOUT);
            }
            var first = ep.Poll(0, 2);
            Assert.Equal(2, first.Count);
            var second = ep.Poll(0, 2);
            Assert.Equal(2, second.Count);
            // The one left out first is reported first next time (the kernel's ready-list rotation).
            var all = pairs.Select(p => p.Server.Fileno()).ToHashSet();
            all.ExceptWith(first.Select(x => x.Fd));
            Assert.Equal(all.Single(), second[0].Fd);
        }
        finally
        {
            foreach (var (c, s) in pairs)
            {
                CloseAll(c, s);
            }
        }
    }

    [Fact]
    public void ClosedSocketIsReportedOnceAndDropped()
    {
        var (c, s) = Loopback.Pair();
        using var ep = SelectModule.Epoll();
        try
        {
            int fd = s.Fileno();
            SocketCore core = s.Core;
            ep.Register(s, EPOLLIN);
            var waiter = Task.Run(() => ep.Poll(null));
            SpinUntil(() => core.WatcherCount > 0, "registered");
            s.Close();
            Assert.True(waiter.Wait(TimeSpan.FromSeconds(10)), "epoll still asleep after close");
            Assert.Equal([(fd, POLLNVAL)], waiter.Result);
            Assert.Equal(0, ep.Count);
            Assert.Empty(ep.Poll(0));
            Assert.Equal(0, core.WatcherCount);
        }
        finally
        {
            CloseAll(c, s);
        }
    }

    [Fact]
    public void PipesGoToTheKernelsEpollAndRegularFilesAreEperm()
    {
        using var pipe = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.Out);
        using var reader = new System.IO.Pipes.AnonymousPipeClientStream(System.IO.Pipes.PipeDirection.In, pipe.ClientSafePipeHandle);
        int rfd = (int)reader.SafePipeHandle.DangerousGetHandle();
        int wfd = (int)pipe.SafePipeHandle.DangerousGetHandle();
        string path = Path.GetTempFileName();
        using var file = File.Open(path, FileMode.Open);
        int filefd = (int)file.SafeFileHandle.DangerousGetHandle();
        var (c, s) = Loopback.Pair();
        using var ep = SelectModule.Epoll();
        try
        {
            var e = Assert.Throws<PySocketException>(() => ep.Register(filefd));
            Assert.Equal(Errno.EPERM, e.Errno); // PermissionError, as CPython 3.11 on Linux
            ep.Register(rfd, EPOLLIN);
            ep.Register(wfd, EPOLLOUT);
            ep.Register(s, EPOLLIN);
            Assert.Equal([(wfd, (int)EPOLLOUT)], ep.Poll(0));
            Assert.Equal(Errno.EEXIST, Assert.Throws<PySocketException>(() => ep.Register(rfd)).Errno);
            ep.Unregister(wfd);
            Assert.Equal(Errno.ENOENT, Assert.Throws<PySocketException>(() => ep.Unregister(wfd)).Errno);
            Assert.Equal(Errno.ENOENT, Assert.Throws<PySocketException>(() => ep.Modify(wfd, EPOLLIN)).Errno);

            // Edge-triggered on the pipe: the kernel's own EPOLLET, reported once per write.
            ep.Modify(rfd, EPOLLIN | EPOLLET);
            var waiter = Task.Run(() => ep.Poll(10));
            pipe.WriteByte(1);
            pipe.Flush();
            Assert.True(waiter.Wait(TimeSpan.FromSeconds(5)), "epoll did not wake for the pipe");
            Assert.Equal([(rfd, (int)EPOLLIN)], waiter.Result);
            Assert.Empty(ep.Poll(0)); // byte unread, no new edge

            // Our socket still wakes a waiting poll at once, next to the kernel-watched pipe.
            waiter = Task.Run(() => ep.Poll(10));
            c.SendAll("x"u8);
            Assert.True(waiter.Wait(TimeSpan.FromSeconds(5)), "epoll did not wake for the socket");
            Assert.Equal([(s.Fileno(), (int)EPOLLIN)], waiter.Result);
            ep.Unregister(rfd);
            pipe.WriteByte(2);
            pipe.Flush();
            Assert.Equal([(s.Fileno(), (int)EPOLLIN)], ep.Poll(0));
        }
        finally
        {
            CloseAll(c, s);
            file.Dispose();
            File.Delete(path);
        }
    }

    [Fact]
    public void ErrorsAsLinuxAndCPython()
    {
        var (c, s) = Loopback.Pair();
        var ep = SelectModule.Epoll();
        try
        {
            Assert.True(ep.Fileno() > 2);
            Assert.False(ep.Closed);
            ep.Register(s);
            var e = Assert.Throws<PySocketException>(() => ep.Register(s));
            Assert.Equal(Errno.EEXIST, e.Errno);
            Assert.Equal("FileExistsError", e.PythonTypeName);
            e = Assert.Throws<PySocketException>(() => ep.Modify(c, EPOLLIN));
            Assert.Equal(Errno.ENOENT, e.Errno);
            e = Assert.Throws<PySocketException>(() => ep.Unregister(c));
            Assert.Equal(Errno.ENOENT, e.Errno);
            e = Assert.Throws<PySocketException>(() => ep.Register(c, -1));
            Assert.Equal(Errno.EINVAL, e.Errno);
            var closed = new SocketObject();
            int closedFd = closed.Fileno();
            closed.Close();
            e = Assert.Throws<PySocketException>(() => ep.Register(closedFd));
            Assert.Equal(Errno.EBADF, e.Errno);
            AssertError(PyErrorKind.ValueError, "maxevents must be greater than 0, got 0", () => ep.Poll(0, 0));
            AssertError(PyErrorKind.OverflowError, "timestamp out of range for platform time_t", () => ep.Poll(1e10));
            AssertError(PyErrorKind.OverflowError, "timeout is too large", () => ep.Poll(3_000_000));
            AssertError(PyErrorKind.TypeError, "timeout must be an integer or None", () => ep.Poll("x"));
            AssertError(PyErrorKind.ValueError, "negative sizehint", () => SelectModule.Epoll(-2));
            AssertError(PyErrorKind.ValueError, "negative sizehint", () => SelectModule.Epoll(0));
            e = Assert.Throws<PySocketException>(() => SelectModule.Epoll(flags: 1));
            Assert.Equal("invalid flags", e.Message);
            Assert.Null(e.Errno);
            ep.Unregister(s);
            ep.Close();
            Assert.True(ep.Closed);
            AssertError(PyErrorKind.ValueError, "I/O operation on closed epoll object", () => ep.Poll(0));
            AssertError(PyErrorKind.ValueError, "I/O operation on closed epoll object", () => ep.Register(s));
            AssertError(PyErrorKind.ValueError, "I/O operation on closed epoll object", () => ep.Fileno());
            ep.Close();
        }
        finally
        {
            ep.Close();
            CloseAll(c, s);
        }
    }
}
