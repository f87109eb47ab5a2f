using System.Net.Sockets;
using Netty.PySocket.Socket;
using static Netty.PySocket.Net.SocketConstants;

namespace Netty.PySocket.Tests.Socket;

/// <summary>Real TCP half-close in both directions and both roles (Netty's SocketHalfClosedTest).</summary>
public class HalfCloseTests
{
    [Fact]
    public void OurClientShutsDownWriteAndStillGetsTheReply()
    {
        var (peer, ours) = Loopback.WithNetServer();
        try
        {
            ours.SendAll("request"u8);
            ours.Shutdown(SHUT_WR);
            // The peer reads the request, then EOF, then answers on the half-open connection.
            var got = new byte[64];
            int total = 0, n;
            while ((n = peer.Receive(got, total, got.Length - total, SocketFlags.None)) > 0) total += n;
            Assert.Equal("request"u8.ToArray(), got[..total]);
            peer.Send("reply"u8);
            peer.Shutdown(SocketShutdown.Send);
            Assert.Equal("reply"u8.ToArray(), Loopback.ReadExactly(ours, 5));
            Assert.Empty(ours.Recv(10));
        }
        finally
        {
            peer.Dispose();
            ours.Close();
        }
    }

    [Fact]
    public void PeerShutsDownWriteAndOurAcceptedSocketStillReplies()
    {
        var (peer, ours) = Loopback.WithNetClient();
        try
        {
            peer.Send("ping"u8);
            peer.Shutdown(SocketShutdown.Send);
            Assert.Equal("ping"u8.ToArray(), Loopback.ReadExactly(ours, 4));
            Assert.Empty(ours.Recv(16)); // EOF, but our side is still open for writing
            ours.SendAll("pong"u8);
            ours.Close();
            var got = new byte[16];
            int total = 0, n;
            while ((n = peer.Receive(got, total, got.Length - total, SocketFlags.None)) > 0) total += n;
            Assert.Equal("pong"u8.ToArray(), got[..total]);
        }
        finally
        {
            peer.Dispose();
        }
    }

    [Fact]
    public void BothOfOursHalfCloseEachWay()
    {
        var (c, s) = Loopback.Pair();
        try
        {
            c.SendAll("a"u8);
            c.Shutdown(SHUT_WR);
            Assert.Equal("a"u8.ToArray(), s.Recv(10));
            Assert.Empty(s.Recv(10));
            s.SendAll("b"u8);
            s.Shutdown(SHUT_WR);
            Assert.Equal("b"u8.ToArray(), c.Recv(10));
            Assert.Empty(c.Recv(10));
        }
        finally
        {
            c.Close();
            s.Close();
        }
    }

    [Fact]
    public void SendAfterShutWrIsBrokenPipe()
    {
        var (c, s) = Loopback.Pair();
        try
        {
            c.Shutdown(SHUT_WR);
            var ex = Assert.Throws<Errors.PySocketException>(() => c.Send("x"u8));
            Assert.Equal(Errors.Errno.EPIPE, ex.Errno);
        }
        finally
        {
            c.Close();
            s.Close();
        }
    }

    [Fact]
    public void ShutRdMakesRecvReturnEof()
    {
        var (c, s) = Loopback.Pair();
        try
        {
            c.Shutdown(SHUT_RD);
            Assert.Empty(c.Recv(10));
            // Writing still works after SHUT_RD.
            c.SendAll("still"u8);
            Assert.Equal("still"u8.ToArray(), Loopback.ReadExactly(s, 5));
        }
        finally
        {
            c.Close();
            s.Close();
        }
    }
}
