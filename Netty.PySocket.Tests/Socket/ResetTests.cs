using System.Net.Sockets;
using Netty.PySocket.Errors;
using Netty.PySocket.Socket;

namespace Netty.PySocket.Tests.Socket;

/// <summary>Peer resets (SO_LINGER 0) surface as ConnectionResetError / BrokenPipeError, never a hang.</summary>
public class ResetTests
{
    [Fact]
    public void RecvAfterPeerResetRaisesEconnresetThenReadsEof()
    {
        var (peer, ours) = Loopback.WithNetClient();
        try
        {
            peer.LingerState = new LingerOption(true, 0);
            peer.Close();
            ours.SetTimeout(5);
            var e = Assert.Throws<PySocketException>(() => ours.Recv(10));
            Assert.Equal(Errno.ECONNRESET, e.Errno);
            Assert.Equal("ConnectionResetError", e.PythonTypeName);
            Assert.Empty(ours.Recv(10));
        }
        finally
        {
            ours.Close();
        }
    }

    /// <summary>As Linux: a reset connection has no peer (ssl.py relies on it), the bytes that came first stay readable.</summary>
    [Fact]
    public void GetPeerNameAfterPeerResetIsEnotconnAndDataStaysReadable()
    {
        var (peer, ours) = Loopback.WithNetClient();
        try
        {
            Assert.Equal(2, ((object[])ours.GetPeerName()).Length);
            peer.Send("DELETE"u8);
            peer.LingerState = new LingerOption(true, 0);
            peer.Close();
            var e = Assert.Throws<PySocketException>(() => ours.GetPeerName());
            Assert.Equal(Errno.ENOTCONN, e.Errno);
            ours.SetTimeout(5);
            Assert.Equal("DELETE"u8.ToArray(), Loopback.ReadExactly(ours, 6));
        }
        finally
        {
            ours.Close();
        }
    }

    [Fact]
    public void SendAfterPeerResetFailsWithoutHanging()
    {
        var (peer, ours) = Loopback.WithNetClient();
        try
        {
            peer.LingerState = new LingerOption(true, 0);
            peer.Close();
            ours.SetTimeout(5);
            var chunk = new byte[64 * 1024];
            PySocketException? e = null;
            for (int i = 0; i < 1000 && e is null; i++)
            {
                try
                {
                    ours.SendAll(chunk);
                }
                catch (PySocketException ex)
                {
                    e = ex;
                }
            }
            Assert.NotNull(e);
            Assert.Contains(e!.Errno, new int?[] { Errno.ECONNRESET, Errno.EPIPE });
        }
        finally
        {
            ours.Close();
        }
    }
}
