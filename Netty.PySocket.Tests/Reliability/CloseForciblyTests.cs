using System.Net.Sockets;
using Netty.PySocket.Socket;
using Netty.PySocket.Tests.Socket;
using static Netty.PySocket.Net.SocketConstants;

namespace Netty.PySocket.Tests.Reliability;

/// <summary>
/// Netty's SocketCloseForciblyTest: an accepted child closed forcibly (SO_LINGER 0) raises nothing on our side and
/// the peer sees a reset, not an EOF; the descriptor is released.
/// </summary>
public class CloseForciblyTests
{
    [Fact]
    public void AcceptedChildClosedWithLingerZeroResetsThePeer()
    {
        var (peer, ours) = Loopback.WithNetClient();
        using (peer)
        {
            peer.Send("unread"u8); // unread data at close would make Linux reset anyway; linger 0 must reset without it too
            Assert.Equal("unread"u8.ToArray(), Loopback.ReadExactly(ours, 6));
            ours.SetSockOpt(SOL_SOCKET, SO_LINGER, new byte[] { 1, 0, 0, 0, 0, 0, 0, 0 });
            int fd = ours.Fileno();
            ours.Close();
            Assert.Equal(-1, ours.Fileno());
            ReliabilityFigures.Add("faults injected: forcible close (SO_LINGER 0)");
            peer.ReceiveTimeout = 10000;
            var e = Assert.Throws<SocketException>(() => peer.Receive(new byte[16]));
            Assert.Equal(SocketError.ConnectionReset, e.SocketErrorCode);
            Assert.False(FdRegistry.TryLookup(fd, out _), "descriptor still registered after close");
        }
    }
}
