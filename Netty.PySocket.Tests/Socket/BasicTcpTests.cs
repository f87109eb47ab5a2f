using System.Net.Sockets;
using System.Text;
using Netty.PySocket.Errors;
using Netty.PySocket.Socket;
using static Netty.PySocket.Net.SocketConstants;

namespace Netty.PySocket.Tests.Socket;

public class BasicTcpTests
{
    [Fact]
    public void EchoBetweenOurSockets()
    {
        var (c, s) = Loopback.Pair();
        try
        {
            Assert.Equal(5, c.Send("hello"u8));
            Assert.Equal("hello", Encoding.ASCII.GetString(Loopback.ReadExactly(s, 5)));
            s.SendAll("world"u8);
            Assert.Equal("world", Encoding.ASCII.GetString(Loopback.ReadExactly(c, 5)));
        }
        finally
        {
            c.Close();
            s.Close();
        }
    }

    [Fact]
    public void BindPortZeroGivesRealPort()
    {
        var s = new SocketObject();
        try
        {
            s.Bind(new object[] { "127.0.0.1", 0 });
            object[] name = (object[])s.GetSockName();
            Assert.Equal("127.0.0.1", name[0]);
            Assert.NotEqual(0, (int)name[1]);
        }
        finally
        {
            s.Close();
        }
    }

    [Fact]
    public void BindPortInUseRaisesEaddrinuseAtBind()
    {
        var a = new SocketObject();
        var b = new SocketObject();
        try
        {
            a.Bind(Loopback.Any4);
            a.Listen(1);
            var ex = Assert.Throws<PySocketException>(() => b.Bind(new object[] { "127.0.0.1", Loopback.Port(a) }));
            Assert.Equal(PyErrorKind.OSError, ex.Kind);
            Assert.Equal(Errno.EADDRINUSE, ex.Errno);
        }
        finally
        {
            a.Close();
            b.Close();
        }
    }

    [Fact]
    public void RecvReturnsEmptyAtEof()
    {
        var (peer, ours) = Loopback.WithNetClient();
        try
        {
            peer.Send("x"u8);
            peer.Shutdown(SocketShutdown.Send);
            Assert.Equal("x"u8.ToArray(), ours.Recv(10));
            Assert.Empty(ours.Recv(10));
            Assert.Empty(ours.Recv(10));
        }
        finally
        {
            peer.Dispose();
            ours.Close();
        }
    }

    [Fact]
    public void ConnectToClosedPortIsRefused()
    {
        int port;
        using (var tmp = new System.Net.Sockets.Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            tmp.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
            port = ((System.Net.IPEndPoint)tmp.LocalEndPoint!).Port;
        }
        var s = new SocketObject();
        try
        {
            var ex = Assert.Throws<PySocketException>(() => s.Connect(new object[] { "127.0.0.1", port }));
            Assert.Equal(Errno.ECONNREFUSED, ex.Errno);
            Assert.Equal("ConnectionRefusedError", ex.PythonTypeName);
        }
        finally
        {
            s.Close();
        }
        var s2 = new SocketObject();
        try
        {
            Assert.Equal(Errno.ECONNREFUSED, s2.ConnectEx(new object[] { "127.0.0.1", port }));
        }
        finally
        {
            s2.Close();
        }
    }

    [Fact]
    public void Ipv6PairUsesFourTuples()
    {
        var (c, s) = Loopback.Pair(AF_INET6);
        try
        {
            object[] peer = (object[])c.GetPeerName();
            Assert.Equal(4, peer.Length);
            Assert.Equal("::1", peer[0]);
            c.SendAll("v6"u8);
            Assert.Equal("v6"u8.ToArray(), Loopback.ReadExactly(s, 2));
        }
        finally
        {
            c.Close();
            s.Close();
        }
    }
}
