using System.Net.Sockets;
using Netty.PySocket.Errors;
using Netty.PySocket.Socket;
using Netty.PySocket.Tests.Socket;

namespace Netty.PySocket.Tests.Reliability;

/// <summary>
/// Netty's SocketRstTest and issue 8's "peer reset during send and during recv": a peer closing with SO_LINGER 0
/// gives ConnectionResetError (or BrokenPipeError for a send), never a hang; a normal close gives EOF, never an error.
/// (After-the-fact resets are in Socket/ResetTests.)
/// </summary>
public class RstTests
{
    static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    static void Reset(System.Net.Sockets.Socket peer)
    {
        peer.LingerState = new LingerOption(true, 0);
        peer.Close();
        ReliabilityFigures.Add("faults injected: peer reset (SO_LINGER 0)");
    }

    static Exception? RunBlocked(Action blocked, Action fault, out TimeSpan after, Func<bool>? waitsInKernel = null)
    {
        (_, Exception? error, after) = BlockedCall.Inject("blocked call", () => { blocked(); return null; }, fault, TimeSpan.FromSeconds(20), waitsInKernel);
        return error;
    }

    [Fact]
    public void ResetWhileBlockedInRecvIsConnectionResetError()
    {
        var (peer, ours) = Loopback.WithNetClient();
        try
        {
            var e = RunBlocked(() => ours.Recv(10), () => Reset(peer), out TimeSpan after, () => ours.Core.KernelWaiters > 0);
            var p = Assert.IsType<PySocketException>(e);
            Assert.Equal("ConnectionResetError", p.PythonTypeName);
            Assert.Equal(Errno.ECONNRESET, p.Errno);
            Assert.True(after < Bound, $"woke after {after}");
            ReliabilityFigures.Max("peer reset wakes blocked recv (ms)", after.TotalMilliseconds);
            Assert.Empty(ours.Recv(10)); // then EOF, as Linux
        }
        finally
        {
            ours.Close();
        }
    }

    [Fact]
    public void ResetWhileBlockedInSendallIsResetOrBrokenPipe()
    {
        var (peer, ours) = Loopback.WithNetClient();
        try
        {
            var big = new byte[32 * 1024 * 1024];
            var e = RunBlocked(() => ours.SendAll(big), () => Reset(peer), out TimeSpan after, () => ours.Core.KernelWaiters > 0);
            var p = Assert.IsType<PySocketException>(e);
            Assert.Contains(p.PythonTypeName, new[] { "ConnectionResetError", "BrokenPipeError" });
            Assert.True(after < Bound, $"woke after {after}");
            ReliabilityFigures.Max("peer reset wakes blocked sendall (ms)", after.TotalMilliseconds);
        }
        finally
        {
            ours.Close();
        }
    }

    [Fact]
    public void ResetWhileBlockedInSendallOfOurTwoSocketsIsResetOrBrokenPipe()
    {
        var (c, s) = Loopback.Pair();
        try
        {
            // Our own socket as the resetting peer: setsockopt(SO_LINGER, (1, 0)) then close.
            var e = RunBlocked(() => c.SendAll(new byte[32 * 1024 * 1024]), () =>
            {
                s.SetSockOpt(Netty.PySocket.Net.SocketConstants.SOL_SOCKET, Netty.PySocket.Net.SocketConstants.SO_LINGER, new byte[] { 1, 0, 0, 0, 0, 0, 0, 0 });
                s.Close();
                ReliabilityFigures.Add("faults injected: peer reset (SO_LINGER 0)");
            }, out TimeSpan after, () => c.Core.KernelWaiters > 0);
            var p = Assert.IsType<PySocketException>(e);
            Assert.Contains(p.PythonTypeName, new[] { "ConnectionResetError", "BrokenPipeError" });
            Assert.True(after < Bound, $"woke after {after}");
        }
        finally
        {
            c.Close();
        }
    }

    [Fact]
    public void NormalCloseIsEofNotAnError()
    {
        // SocketRstTest.testNoRstIfSoLingerOnClose: without SO_LINGER 0 the peer sees a clean EOF, every time.
        var (peer, ours) = Loopback.WithNetClient();
        try
        {
            peer.Send("last"u8);
            peer.Close();
            Assert.Equal("last"u8.ToArray(), Loopback.ReadExactly(ours, 4));
            Assert.Empty(ours.Recv(10));
            Assert.Empty(ours.Recv(10));
        }
        finally
        {
            ours.Close();
        }
    }
}
