using System.Diagnostics;
using Netty.PySocket.Errors;
using Netty.PySocket.Socket;
using Netty.PySocket.Tests.Select;
using static Netty.PySocket.Net.SocketConstants;

namespace Netty.PySocket.Tests.Socket;

/// <summary>Blocking, timeout and non-blocking modes through one code path.</summary>
public class ModeTests
{
    [Fact]
    public void TimeoutAccessorsFollowCPython()
    {
        var s = new SocketObject();
        try
        {
            Assert.Null(s.GetTimeout());
            Assert.True(s.GetBlocking());
            s.SetBlocking(false);
            Assert.Equal(0.0, s.GetTimeout());
            Assert.False(s.GetBlocking());
            s.SetTimeout(2.5);
            Assert.Equal(2.5, s.GetTimeout());
            Assert.True(s.GetBlocking());
            s.SetTimeout(null);
            Assert.Null(s.GetTimeout());
            Assert.Equal("Timeout value out of range", Assert.Throws<PySocketException>(() => s.SetTimeout(-1)).Message);
        }
        finally
        {
            s.Close();
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "fcntl")]
    static extern int Fcntl(int fd, int cmd, int arg);

    static bool NonBlockingFlag(SocketObject s) => (Fcntl(s.Fileno(), 3 /* F_GETFL */, 0) & 0x800) != 0;

    [Fact]
    public void AFreshSocketsDescriptorFollowsTheModeAsCPythons()
    {
        var s = new SocketObject(AF_INET, SOCK_STREAM | SOCK_NONBLOCK);
        var l = Loopback.Listener();
        try
        {
            Assert.True(NonBlockingFlag(s));
            s.SetBlocking(true);
            Assert.False(NonBlockingFlag(s));
            s.SetTimeout(2.0);
            Assert.True(NonBlockingFlag(s)); // a timeout is poll + non-blocking calls, in CPython too
            s.SetTimeout(null);
            Assert.False(NonBlockingFlag(s));
            s.SetBlocking(false);
            // A non-blocking connect from there still completes, and the socket works.
            var e = Assert.Throws<PySocketException>(() => s.Connect(new object[] { "127.0.0.1", Loopback.Port(l) }));
            Assert.Equal(Errno.EINPROGRESS, e.Errno);
            SocketObject peer = l.AcceptSocket(out _);
            Netty.PySocket.Select.SelectModule.Select([], [s], [], 5.0);
            s.SetBlocking(true);
            s.SendAll("ok"u8);
            Assert.Equal("ok"u8.ToArray(), Loopback.ReadExactly(peer, 2));
            peer.Close();
        }
        finally
        {
            s.Close();
            l.Close();
        }
    }

    /// <summary>
    /// A listening socket's flag follows too while callers own its accepts (SocketCore.CallerAccepts), and every mode
    /// accepts; once select watched it the event loop accepts, the flag stays set and accept still works.
    /// </summary>
    [Fact]
    public void AListeningSocketsDescriptorFollowsTheModeUntilSelectWatchesIt()
    {
        var l = new SocketObject();
        var clients = new List<SocketObject>();
        var accepted = new List<SocketObject>();
        try
        {
            l.Bind(Loopback.Any4);
            l.Listen(8);
            Assert.False(NonBlockingFlag(l)); // blocking, as created
            l.SetBlocking(false);
            Assert.True(NonBlockingFlag(l));
            Assert.Equal(Errno.EAGAIN, Assert.Throws<PySocketException>(() => l.AcceptSocket(out _)).Errno);
            l.SetTimeout(0.05);
            Assert.True(NonBlockingFlag(l));
            Assert.Equal(PyErrorKind.Timeout, Assert.Throws<PySocketException>(() => l.AcceptSocket(out _)).Kind);
            l.SetBlocking(true);
            Assert.False(NonBlockingFlag(l));
            object[] addr = ["127.0.0.1", Loopback.Port(l)];
            // Blocking accept on the blocking descriptor: one waiting first, one with the connection already queued.
            var waiting = Task.Run(() => l.AcceptSocket(out _));
            SelectHelpers.SpinUntil(() => l.Core.KernelWaiters > 0, "accept to wait in the kernel");
            var c1 = new SocketObject();
            clients.Add(c1);
            c1.Connect(addr);
            accepted.Add(waiting.Result);
            var c2 = new SocketObject();
            clients.Add(c2);
            c2.Connect(addr);
            accepted.Add(l.AcceptSocket(out object peer));
            Assert.Equal(c2.GetSockName(), peer);
            // A select that has to wait watches it: the loop accepts from now on, with the flag set whatever the mode.
            var selecting = Task.Run(() => Netty.PySocket.Select.SelectModule.Select([l], [], [], 10.0));
            SelectHelpers.SpinUntil(() => l.Core.WatcherCount > 0 && NonBlockingFlag(l), "select to watch the listening socket, the flag set");
            var c3 = new SocketObject();
            clients.Add(c3);
            c3.Connect(addr);
            Assert.Single(selecting.Result.Readable);
            accepted.Add(l.AcceptSocket(out _));
            l.SetBlocking(true);
            Assert.True(NonBlockingFlag(l));
            c3.SendAll("x"u8);
            Assert.Equal("x"u8.ToArray(), Loopback.ReadExactly(accepted[^1], 1));
        }
        finally
        {
            SelectHelpers.CloseAll([.. clients, .. accepted, l]);
        }
    }

    [Fact]
    public void NonBlockingSendFillsTheKernelThenRaisesEagainAndLosesNothing()
    {
        var (c, s) = Loopback.Pair();
        try
        {
            c.SetBlocking(false);
            var big = new byte[16 << 20];
            for (int i = 0; i < big.Length; i++) big[i] = (byte)(i * 7);
            // As send(2) on a non-blocking socket: the kernel takes what fits in one call (far more than a chunk).
            long sent = c.Send(big);
            Assert.True(sent > 256 * 1024, $"first send took {sent}");
            int calls = 1;
            while (true)
            {
                var e = Record.Exception(() => sent += c.Send(big.AsSpan((int)(sent % big.Length)).ToArray()));
                calls++;
                if (e is not null)
                {
                    Assert.Equal(Errno.EAGAIN, Assert.IsType<PySocketException>(e).Errno);
                    break;
                }
                Assert.True(calls < 12, "the socket buffers never filled");
            }
            c.SetBlocking(true);
            c.Shutdown(SHUT_WR);
            long got = 0;
            var buf = new byte[1 << 20];
            while (true)
            {
                int n = s.RecvInto(buf);
                if (n == 0) break;
                int bad = -1;
                for (int i = 0; i < n && bad < 0; i++) if (buf[i] != big[(got + i) % big.Length]) bad = i;
                Assert.True(bad < 0, $"byte {got + bad} differs");
                got += n;
            }
            Assert.Equal(sent, got);
        }
        finally
        {
            c.Close();
            s.Close();
        }
    }

    [Fact]
    public void NonBlockingRecvAndAcceptRaiseEagain()
    {
        var l = Loopback.Listener();
        var (c, s) = Loopback.Pair();
        try
        {
            l.SetBlocking(false);
            var e1 = Assert.Throws<PySocketException>(() => l.Accept());
            Assert.Equal(Errno.EAGAIN, e1.Errno);
            Assert.Equal("BlockingIOError", e1.PythonTypeName);
            s.SetBlocking(false);
            var e2 = Assert.Throws<PySocketException>(() => s.Recv(10));
            Assert.Equal(Errno.EAGAIN, e2.Errno);
            var e3 = Assert.Throws<PySocketException>(() => c.Recv(10, MSG_DONTWAIT));
            Assert.Equal(Errno.EAGAIN, e3.Errno);
        }
        finally
        {
            l.Close();
            c.Close();
            s.Close();
        }
    }

    [Fact]
    public void RecvTimesOut()
    {
        var (c, s) = Loopback.Pair();
        try
        {
            s.SetTimeout(0.2);
            var sw = Stopwatch.StartNew();
            var ex = Assert.Throws<PySocketException>(() => s.Recv(10));
            Assert.Equal(PyErrorKind.Timeout, ex.Kind);
            Assert.Equal("timed out", ex.Message);
            Assert.Null(ex.Errno);
            Assert.True(sw.Elapsed >= TimeSpan.FromMilliseconds(190), $"returned after {sw.Elapsed}");
        }
        finally
        {
            c.Close();
            s.Close();
        }
    }

    [Fact]
    public void AcceptTimesOut()
    {
        var l = Loopback.Listener();
        try
        {
            l.SetTimeout(0.1);
            Assert.Equal(PyErrorKind.Timeout, Assert.Throws<PySocketException>(() => l.Accept()).Kind);
        }
        finally
        {
            l.Close();
        }
    }

    [Fact]
    public void NonBlockingConnectGivesEinprogressThenCompletes()
    {
        var l = Loopback.Listener();
        var c = new SocketObject();
        try
        {
            c.SetBlocking(false);
            int err = c.ConnectEx(new object[] { "127.0.0.1", Loopback.Port(l) });
            Assert.Equal(Errno.EINPROGRESS, err); // always, as Linux, even when loopback settles it at once
            // Blocking accept proves the connection exists; then SO_ERROR reads 0 and getpeername works.
            var s = l.AcceptSocket(out _);
            c.SetBlocking(true);
            s.SendAll("x"u8);
            Assert.Equal("x"u8.ToArray(), c.Recv(1));
            Assert.Equal(0, c.GetSockOpt(SOL_SOCKET, SO_ERROR));
            Assert.Equal(Loopback.Port(l), (int)((object[])c.GetPeerName())[1]);
            // Linux: the first connect() after a non-blocking connect completed reports it (0), later ones EISCONN.
            Assert.Equal(0, c.ConnectEx(new object[] { "127.0.0.1", Loopback.Port(l) }));
            var again = Assert.Throws<PySocketException>(() => c.Connect(new object[] { "127.0.0.1", Loopback.Port(l) }));
            Assert.Equal(Errno.EISCONN, again.Errno);
            s.Close();
        }
        finally
        {
            c.Close();
            l.Close();
        }
    }

    [Fact]
    public void SwitchingModesMidStreamKeepsData()
    {
        var (c, s) = Loopback.Pair();
        try
        {
            s.SetBlocking(false);
            Assert.Throws<PySocketException>(() => s.Recv(1));
            c.SendAll("abc"u8);
            s.SetTimeout(5);
            Assert.Equal("abc"u8.ToArray(), Loopback.ReadExactly(s, 3));
            s.SetBlocking(true);
            c.SendAll("d"u8);
            Assert.Equal("d"u8.ToArray(), s.Recv(1));
        }
        finally
        {
            c.Close();
            s.Close();
        }
    }
}
