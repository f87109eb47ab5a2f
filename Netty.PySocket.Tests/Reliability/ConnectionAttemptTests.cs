using Netty.PySocket.Errors;
using Netty.PySocket.Socket;
using Netty.PySocket.Tests.Socket;

namespace Netty.PySocket.Tests.Reliability;

/// <summary>
/// Netty's SocketConnectionAttemptTest: a refused connection attempt fails at once, in every mode, and leaves nothing
/// behind. (Blocking connect() refused: Socket/BasicTcpTests; non-blocking with SO_ERROR: Select/SelectTests.)
/// </summary>
public class ConnectionAttemptTests
{
    [Fact]
    public void ConnectExToAClosedPortReturnsEconnrefusedInEveryMode()
    {
        var l = Loopback.Listener();
        int port = Loopback.Port(l);
        l.Close(); // nobody listens there now
        foreach (double? timeout in new double?[] { null, 5.0 })
        {
            var s = new SocketObject();
            s.SetTimeout(timeout);
            Assert.Equal(Errno.ECONNREFUSED, s.ConnectEx(new object[] { "127.0.0.1", port }));
            ReliabilityFigures.Add("faults injected: connection refused");
            // The same socket tries again, as on Linux (measured with CPython 3.11: 111 111 111 blocking, 111 103 111
            // with a timeout, whose failure was read from SO_ERROR so the kernel's attempt reports ECONNABORTED once).
            int[] again = timeout is null ? [Errno.ECONNREFUSED, Errno.ECONNREFUSED] : [Errno.ECONNABORTED, Errno.ECONNREFUSED];
            foreach (int expected in again)
            {
                Assert.Equal(expected, s.ConnectEx(new object[] { "127.0.0.1", port }));
            }
            Assert.Equal(Errno.ENOTCONN, Assert.Throws<PySocketException>(() => s.GetPeerName()).Errno);
            s.Close();
        }
    }
}
