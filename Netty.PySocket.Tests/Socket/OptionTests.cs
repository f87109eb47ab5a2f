using System.Buffers.Binary;
using Netty.PySocket.Socket;
using static Netty.PySocket.Net.SocketConstants;

namespace Netty.PySocket.Tests.Socket;

/// <summary>getsockopt/setsockopt with the values CPython returns on Linux.</summary>
public class OptionTests
{
    [Fact]
    public void IntOptionsRoundTrip()
    {
        var s = new SocketObject();
        try
        {
            Assert.Equal(0, s.GetSockOpt(SOL_SOCKET, SO_REUSEADDR));
            s.SetSockOpt(SOL_SOCKET, SO_REUSEADDR, 1);
            Assert.Equal(1, s.GetSockOpt(SOL_SOCKET, SO_REUSEADDR));
            s.SetSockOpt(SOL_SOCKET, SO_KEEPALIVE, true);
            Assert.Equal(1, s.GetSockOpt(SOL_SOCKET, SO_KEEPALIVE));
            Assert.Equal(SOCK_STREAM, s.GetSockOpt(SOL_SOCKET, SO_TYPE));
            Assert.Equal(0, s.GetSockOpt(SOL_SOCKET, SO_ERROR));
            s.SetSockOpt(SOL_SOCKET, SO_RCVBUF, 65536);
            Assert.Equal(131072, s.GetSockOpt(SOL_SOCKET, SO_RCVBUF)); // Linux doubles it
            s.SetSockOpt(IPPROTO_IP, IP_TTL, 42);
            Assert.Equal(42, s.GetSockOpt(IPPROTO_IP, IP_TTL));
        }
        finally
        {
            s.Close();
        }
    }

    [Fact]
    public void LingerAsBytes()
    {
        var s = new SocketObject();
        try
        {
            var linger = new byte[8];
            BinaryPrimitives.WriteInt32LittleEndian(linger, 1);
            BinaryPrimitives.WriteInt32LittleEndian(linger.AsSpan(4), 5);
            s.SetSockOpt(SOL_SOCKET, SO_LINGER, linger);
            Assert.Equal(linger, (byte[])s.GetSockOpt(SOL_SOCKET, SO_LINGER, 8));
        }
        finally
        {
            s.Close();
        }
    }

    [Fact]
    public void TcpNoDelayKeepsTheOsDefaultOnConnectedAndAcceptedSockets()
    {
        // DotNetty turns TCP_NODELAY on for every channel; CPython leaves it off unless asked.
        var (c, s) = Loopback.Pair();
        try
        {
            Assert.Equal(0, c.GetSockOpt(IPPROTO_TCP, TCP_NODELAY));
            Assert.Equal(0, s.GetSockOpt(IPPROTO_TCP, TCP_NODELAY));
            c.SetSockOpt(IPPROTO_TCP, TCP_NODELAY, 1);
            Assert.Equal(1, c.GetSockOpt(IPPROTO_TCP, TCP_NODELAY));
        }
        finally
        {
            c.Close();
            s.Close();
        }
    }

    [Fact]
    public void V6OnlyOnIpv6Sockets()
    {
        var s = new SocketObject(AF_INET6);
        try
        {
            Assert.Equal(0, s.GetSockOpt(IPPROTO_IPV6, IPV6_V6ONLY)); // Linux's default, as CPython reports it
            s.SetSockOpt(IPPROTO_IPV6, IPV6_V6ONLY, 1);
            Assert.Equal(1, s.GetSockOpt(IPPROTO_IPV6, IPV6_V6ONLY));
        }
        finally
        {
            s.Close();
        }
    }
}
