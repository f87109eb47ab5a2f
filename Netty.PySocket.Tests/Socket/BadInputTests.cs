using Netty.PySocket.Errors;
using Netty.PySocket.Socket;
using static Netty.PySocket.Net.SocketConstants;

namespace Netty.PySocket.Tests.Socket;

/// <summary>Bad input gets CPython's errors (messages checked against CPython 3.11 on Linux).</summary>
public class BadInputTests
{
    static PySocketException Raises(Action a) => Assert.Throws<PySocketException>(a);

    [Fact]
    public void AddressShapeAndTypeErrors()
    {
        var s = new SocketObject();
        try
        {
            var e = Raises(() => s.Bind("127.0.0.1"));
            Assert.Equal(PyErrorKind.TypeError, e.Kind);
            Assert.Equal("bind(): AF_INET address must be tuple, not str", e.Message);
            Assert.Equal(PyErrorKind.TypeError, Raises(() => s.Bind(new object[] { "127.0.0.1" })).Kind);
            Assert.Equal(PyErrorKind.TypeError, Raises(() => s.Bind(new object[] { 1, 2 })).Kind);
            Assert.Equal(PyErrorKind.TypeError, Raises(() => s.Connect(new object[] { "127.0.0.1", "80" })).Kind);
        }
        finally
        {
            s.Close();
        }
    }

    [Fact]
    public void PortOutOfRangeIsOverflowError()
    {
        var s = new SocketObject();
        try
        {
            var e = Raises(() => s.Bind(new object[] { "127.0.0.1", 65536 }));
            Assert.Equal(PyErrorKind.OverflowError, e.Kind);
            Assert.Equal("bind(): port must be 0-65535.", e.Message);
            Assert.Equal("connect(): port must be 0-65535.", Raises(() => s.Connect(new object[] { "127.0.0.1", -1 })).Message);
        }
        finally
        {
            s.Close();
        }
    }

    [Fact]
    public void NegativeSizesAreValueErrors()
    {
        var (c, s) = Loopback.Pair();
        try
        {
            var e = Raises(() => s.Recv(-1));
            Assert.Equal(PyErrorKind.ValueError, e.Kind);
            Assert.Equal("negative buffersize in recv", e.Message);
            Assert.Equal("negative buffersize in recv_into", Raises(() => s.RecvInto(new byte[4], -1)).Message);
            Assert.Equal("buffer too small for requested bytes", Raises(() => s.RecvInto(new byte[4], 5)).Message);
        }
        finally
        {
            c.Close();
            s.Close();
        }
    }

    [Fact]
    public void OperationsOnAClosedSocketAreEbadf()
    {
        var s = new SocketObject();
        s.Close();
        s.Close(); // a second close is a no-op, as in CPython
        Assert.Equal(-1, s.Fileno());
        foreach (Action a in new Action[]
        {
            () => s.Bind(new object[] { "127.0.0.1", 0 }),
            () => s.Listen(1),
            () => s.Accept(),
            () => s.Connect(new object[] { "127.0.0.1", 1 }),
            () => s.Send("x"u8),
            () => s.Recv(1),
            () => s.Shutdown(SHUT_RDWR),
            () => s.GetSockName(),
            () => s.GetSockOpt(SOL_SOCKET, SO_TYPE),
        })
        {
            var e = Raises(a);
            Assert.Equal(PyErrorKind.OSError, e.Kind);
            Assert.Equal(Errno.EBADF, e.Errno);
        }
    }

    [Fact]
    public void UnconnectedSocketErrorsMatchLinux()
    {
        var s = new SocketObject();
        try
        {
            Assert.Equal(Errno.EPIPE, Raises(() => s.Send("x"u8)).Errno);
            Assert.Equal(Errno.ENOTCONN, Raises(() => s.Recv(1)).Errno);
            Assert.Equal(Errno.ENOTCONN, Raises(() => s.GetPeerName()).Errno);
            Assert.Equal(Errno.ENOTCONN, Raises(() => s.Shutdown(SHUT_RDWR)).Errno);
            Assert.Equal(Errno.EINVAL, Raises(() => s.Accept()).Errno);
            Assert.Equal(new object[] { "0.0.0.0", 0 }, s.GetSockName());
        }
        finally
        {
            s.Close();
        }
    }

    [Fact]
    public void ListenOnAConnectedSocketIsEinval()
    {
        var (c, s) = Loopback.Pair();
        try
        {
            Assert.Equal(Errno.EINVAL, Raises(() => c.Listen(1)).Errno);
        }
        finally
        {
            c.Close();
            s.Close();
        }
    }

    [Fact]
    public void UnsupportedFamilyAndTypeAreOsErrors()
    {
        Assert.Equal(Errno.EAFNOSUPPORT, Raises(() => new SocketObject(12345)).Errno);
        Assert.Equal(PyErrorKind.OSError, Raises(() => new SocketObject(AF_INET, 12345)).Kind);
    }

    [Fact]
    public void UnknownSocketOptionIsEnoprotoopt()
    {
        var s = new SocketObject();
        try
        {
            var e = Raises(() => s.GetSockOpt(SOL_SOCKET, 9999));
            Assert.Equal(Errno.ENOPROTOOPT, e.Errno);
            Assert.Equal(Errno.ENOPROTOOPT, Raises(() => s.SetSockOpt(SOL_SOCKET, 9999, 1)).Errno);
            Assert.Equal(PyErrorKind.TypeError, Raises(() => s.SetSockOpt(SOL_SOCKET, SO_REUSEADDR, "x")).Kind);
        }
        finally
        {
            s.Close();
        }
    }
}
