using Netty.PySocket.Errors;
using Netty.PySocket.Socket;
using static Netty.PySocket.Net.SocketConstants;

namespace Netty.PySocket.Tests.Socket;

/// <summary>fileno, detach, dup and socket(fileno=fd).</summary>
public class DescriptorTests
{
    [Fact]
    public void AcceptedDescriptorIsRewrappedByFromFd()
    {
        var l = Loopback.Listener();
        var c = new SocketObject();
        try
        {
            c.Connect(new object[] { "127.0.0.1", Loopback.Port(l) });
            AcceptedSocket a = l.Accept();
            Assert.True(a.Fd > 2);
            Assert.Equal("127.0.0.1", ((object[])a.Address)[0]);
            var s = SocketObject.FromFd(a.Fd);
            Assert.Equal(a.Fd, s.Fileno());
            c.SendAll("z"u8);
            Assert.Equal("z"u8.ToArray(), s.Recv(1));
            s.Close();
            Assert.Equal(-1, s.Fileno());
        }
        finally
        {
            c.Close();
            l.Close();
        }
    }

    [Fact]
    public void DetachKeepsTheSocketOpenForANewOwner()
    {
        var (c, s) = Loopback.Pair();
        try
        {
            int fd = s.Detach();
            Assert.Equal(-1, s.Fileno());
            var again = SocketObject.FromFd(fd);
            c.SendAll("q"u8);
            Assert.Equal("q"u8.ToArray(), again.Recv(1));
            again.Close();
        }
        finally
        {
            c.Close();
        }
    }

    [Fact]
    public void DupSharesTheConnectionUntilTheLastDescriptorCloses()
    {
        var (c, s) = Loopback.Pair();
        try
        {
            SocketObject d = s.Dup();
            Assert.NotEqual(s.Fileno(), d.Fileno());
            s.Close();
            c.SendAll("still open"u8);
            Assert.Equal("still open"u8.ToArray(), Loopback.ReadExactly(d, 10));
            d.Close();
            Assert.Empty(c.Recv(10)); // the last close sends FIN
        }
        finally
        {
            c.Close();
        }
    }

    /// <summary>CPython's _socket.dup is F_DUPFD_CLOEXEC: the copy is not inherited (test_socket InheritanceTest.test_dup).</summary>
    [Fact]
    public void DupIsNotInheritableAndFromFdKeepsTheGivenFamily()
    {
        var s = new SocketObject();
        try
        {
            int copy = SocketObject.DupFd(s.Fileno());
            const int FD_CLOEXEC = 1;
            Assert.Equal(FD_CLOEXEC, LibC.Fcntl(copy, LibC.F_GETFD, 0) & FD_CLOEXEC);
            // socket(family, type, proto, fileno=fd) keeps given values unchecked, as CPython's sock_initobj.
            var odd = SocketObject.FromFd(copy, 99, 88, 23);
            Assert.Equal((99, 88, 23), (odd.Family, odd.Type, odd.Proto));
            odd.Close();
        }
        finally
        {
            s.Close();
        }
    }

    [Fact]
    public void FromFdOfAnUnknownDescriptorIsEbadf()
    {
        Assert.Equal(Errno.EBADF, Assert.Throws<PySocketException>(() => SocketObject.FromFd(987654)).Errno);
        Assert.Equal(PyErrorKind.ValueError, Assert.Throws<PySocketException>(() => SocketObject.FromFd(-1)).Kind);
    }

    [Fact]
    public void FamilyAndTypeStayReadableAfterClose()
    {
        var s = new SocketObject(AF_INET6);
        s.Close();
        Assert.Equal(AF_INET6, s.Family);
        Assert.Equal(SOCK_STREAM, s.Type);
    }

    [Fact]
    public void FromFdOfAFileIsEnotsock()
    {
        string path = Path.GetTempFileName();
        try
        {
            using var f = new FileStream(path, FileMode.Open);
            int fd = (int)f.SafeFileHandle.DangerousGetHandle();
            Assert.Equal(Errno.ENOTSOCK, Assert.Throws<PySocketException>(() => SocketObject.FromFd(fd, AF_INET, SOCK_STREAM, 0)).Errno);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void FromFdKeepsGivenFamilyTypeAndProto()
    {
        var s = new SocketObject();
        var same = SocketObject.FromFd(s.Fileno(), 27, 11, 23);
        Assert.Equal((27, 11, 23), (same.Family, same.Type, same.Proto));
        Assert.Equal(0, s.Proto);
        same.Detach();
        s.Close();
    }

    [Fact]
    public void SetTimeoutOnAClosedDescriptorStoresItAndRaisesEbadf()
    {
        var s = new SocketObject();
        s.Close();
        Assert.Equal(Errno.EBADF, Assert.Throws<PySocketException>(() => s.SetTimeout(1.0)).Errno);
        Assert.Equal(1.0, s.GetTimeout());
        Assert.Equal(Errno.EBADF, Assert.Throws<PySocketException>(() => s.SetBlocking(false)).Errno);
    }
}
