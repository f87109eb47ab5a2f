using Netty.PySocket.Errors;
using Netty.PySocket.Select;
using Netty.PySocket.Socket;
using Netty.PySocket.Tests.Select;
using static Netty.PySocket.Net.SocketConstants;

namespace Netty.PySocket.Tests.Socket;

/// <summary>
/// connect(2) runs on the caller's thread in every mode, and a socket whose connect failed connects again, as on
/// Linux (SocketCore.Connect, SocketCore.ConnectDirect, KernelWatcher; test_sock_lowlevel's connect_racing).
/// </summary>
public class ReconnectTests
{
    static object[] Address(SocketObject listener) => ["127.0.0.1", Loopback.Port(listener)];

    static bool Writable(SocketObject s, double timeout)
    {
        return SelectModule.Select([], [s], [], timeout).Writable.Count == 1;
    }

    [Fact]
    public void ANonBlockingFailureIsReportedByTheNextConnectThenTheSocketConnectsAgain()
    {
        var l = new SocketObject();
        var c = new SocketObject();
        SocketObject? s = null;
        try
        {
            l.Bind(Loopback.Any4); // bound, not listening: the attempt is refused
            object[] addr = Address(l);
            c.SetBlocking(false);
            Assert.Equal(Errno.EINPROGRESS, c.ConnectEx(addr));
            // connect(2) already ran: listening now does not rescue the first attempt (a connect left to the event
            // loop used to reach the kernel after this listen, and succeed).
            l.Listen(1);
            Assert.True(Writable(c, 10));
            Assert.Equal(Errno.ECONNREFUSED, c.ConnectEx(addr)); // the pending error, reported once
            Assert.Equal(Errno.EINPROGRESS, c.ConnectEx(addr));  // a new attempt on the same descriptor
            Assert.True(Writable(c, 10));
            Assert.Equal(0, c.GetSockOpt(SOL_SOCKET, SO_ERROR));
            Assert.Equal(0, c.ConnectEx(addr));                  // Linux reports the completed connect once...
            Assert.Equal(Errno.EISCONN, c.ConnectEx(addr));      // ...then EISCONN
            s = l.AcceptSocket(out _);
            Assert.Equal(s.GetSockName(), c.GetPeerName());
            Assert.Equal(s.GetPeerName(), c.GetSockName());
            c.SetBlocking(true);
            c.SendAll("again"u8);
            Assert.Equal("again"u8.ToArray(), Loopback.ReadExactly(s, 5));
            s.SendAll("back"u8);
            Assert.Equal("back"u8.ToArray(), Loopback.ReadExactly(c, 4));
        }
        finally
        {
            SelectHelpers.CloseAll(c, s, l);
        }
    }

    [Fact]
    public void AFailureTakenFromSoErrorLeavesEconnabortedForTheNextConnect()
    {
        var l = new SocketObject();
        var c = new SocketObject();
        SocketObject? s = null;
        try
        {
            l.Bind(Loopback.Any4);
            object[] addr = Address(l);
            c.SetBlocking(false);
            Assert.Equal(Errno.EINPROGRESS, c.ConnectEx(addr));
            Assert.True(Writable(c, 10));
            Assert.Equal(Errno.ECONNREFUSED, c.GetSockOpt(SOL_SOCKET, SO_ERROR));
            Assert.Equal(Errno.ECONNABORTED, c.ConnectEx(addr));
            l.Listen(1);
            c.SetBlocking(true);
            c.Connect(addr); // blocking, on the same descriptor
            s = l.AcceptSocket(out _);
            Assert.Equal(s.GetSockName(), c.GetPeerName());
        }
        finally
        {
            SelectHelpers.CloseAll(c, s, l);
        }
    }

    [Fact]
    public void ClosingAConnectInProgressLeavesNothingWatching()
    {
        // A full accept queue drops SYNs, so a connect to it stays in progress (Linux retransmits after a second).
        var l = Loopback.Listener(backlog: 0);
        object[] addr = Address(l);
        var queued = new List<SocketObject>();
        var c = new SocketObject();
        try
        {
            c.SetBlocking(false);
            int err;
            while ((err = c.ConnectEx(addr)) != Errno.EINPROGRESS || Writable(c, 0.2))
            {
                // That one got in (or settled at once): keep it queued and try with a fresh socket.
                queued.Add(c);
                Assert.True(queued.Count < 16, $"the listener kept accepting (last connect: {err})");
                c = new SocketObject();
                c.SetBlocking(false);
            }
            SocketCore core = c.Core;
            Assert.True(KernelWatcher.IsWatching(core));
            c.Close();
            Assert.False(KernelWatcher.IsWatching(core));
        }
        finally
        {
            SelectHelpers.CloseAll([.. queued, c, l]);
        }
    }
}
