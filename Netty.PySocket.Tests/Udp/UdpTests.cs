using System.Net;
using Netty.PySocket.Errors;
using Netty.PySocket.Select;
using Netty.PySocket.Socket;
using static Netty.PySocket.Net.SocketConstants;
using static Netty.PySocket.Tests.Udp.UdpKit;

namespace Netty.PySocket.Tests.Udp;

/// <summary>UDP against a System.Net peer; every expectation checked against python3 3.11 on Linux.</summary>
public class UdpTests
{
    [Theory]
    [InlineData(AF_INET)]
    [InlineData(AF_INET6)]
    public void BindPortZero_SendToRecvFrom(int family)
    {
        var s = Bound(family);
        using var peer = NetPeer(family);
        try
        {
            Assert.NotEqual(0, Port(s));
            Assert.Equal(SOCK_DGRAM, s.Type);
            Assert.Equal(SOCK_DGRAM, s.GetSockOpt(SOL_SOCKET, SO_TYPE));
            peer.SendTo("hello"u8.ToArray(), Ep(s, family));
            object?[] r = s.RecvFrom(100);
            Assert.Equal("hello"u8.ToArray(), (byte[])r[0]!);
            Assert.Equal(Addr(family, NetPort(peer)), (object[])r[1]!);
            Assert.Equal(3, s.SendTo("abc"u8, 0, Addr(family, NetPort(peer))));
            var buf = new byte[10];
            EndPoint from = new IPEndPoint(family == AF_INET6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
            Assert.Equal(3, peer.ReceiveFrom(buf, ref from));
            Assert.Equal(Port(s), ((IPEndPoint)from).Port);
        }
        finally
        {
            s.Close();
        }
    }

    [Fact]
    public void UnboundSendTo_AutoBinds()
    {
        var s = new SocketObject(AF_INET, SOCK_DGRAM);
        using var peer = NetPeer();
        try
        {
            Assert.Equal(new object[] { "0.0.0.0", 0 }, s.GetSockName());
            Assert.Equal(1, s.SendTo("x"u8, 0, Addr(AF_INET, NetPort(peer))));
            object[] name = (object[])s.GetSockName();
            Assert.Equal("0.0.0.0", name[0]);
            var buf = new byte[4];
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            peer.ReceiveFrom(buf, ref from);
            Assert.Equal((int)name[1], ((IPEndPoint)from).Port);
        }
        finally
        {
            s.Close();
        }
    }

    [Fact]
    public void Boundaries_TruncationZeroLengthPeekRecvInto()
    {
        var s = Bound();
        using var peer = NetPeer();
        try
        {
            var to = Ep(s);
            peer.SendTo("abcdef"u8.ToArray(), to);
            peer.SendTo([], to);
            peer.SendTo("123"u8.ToArray(), to);
            peer.SendTo("peekme"u8.ToArray(), to);
            peer.SendTo("into-buffer"u8.ToArray(), to);
            peer.SendTo("recv0"u8.ToArray(), to);
            peer.SendTo("last"u8.ToArray(), to);
            Assert.Equal("abc"u8.ToArray(), (byte[])s.RecvFrom(3)[0]!);        // truncated, rest discarded
            Assert.Equal(Array.Empty<byte>(), (byte[])s.RecvFrom(10)[0]!);      // zero-length datagram delivered
            Assert.Equal("123"u8.ToArray(), s.Recv(100));                       // one datagram per call
            Assert.Equal("pee"u8.ToArray(), (byte[])s.RecvFrom(3, MSG_PEEK)[0]!);
            Assert.Equal("peekme"u8.ToArray(), (byte[])s.RecvFrom(10)[0]!);
            var buf = new byte[8];
            object?[] r = s.RecvFromInto(buf, 4, 0);
            Assert.Equal(4, r[0]);
            Assert.Equal("into"u8.ToArray(), buf[..4]);
            Assert.Equal(Addr(AF_INET, NetPort(peer)), (object[])r[1]!);
            Assert.Equal(Array.Empty<byte>(), s.Recv(0));                       // recv(0) consumes a datagram (Linux)
            Assert.Equal(4, s.RecvInto(buf, 0, 0));
            Assert.Equal("last"u8.ToArray(), buf[..4]);
            s.SetBlocking(false);
            Assert.Equal(Errno.EAGAIN, Raises(() => s.RecvFrom(10)).Errno);
        }
        finally
        {
            s.Close();
        }
    }

    [Fact]
    public void Connect_FiltersOtherPeers_Retargets_GetPeerName()
    {
        var s = Bound();
        using var a = NetPeer();
        using var b = NetPeer();
        try
        {
            Assert.Equal(Errno.ENOTCONN, Raises(() => s.GetPeerName()).Errno);
            s.Connect(Addr(AF_INET, NetPort(a)));
            Assert.Equal(Addr(AF_INET, NetPort(a)), s.GetPeerName());
            b.SendTo("from-b"u8.ToArray(), Ep(s));   // filtered by the kernel
            a.SendTo("from-a"u8.ToArray(), Ep(s));
            Assert.Equal("from-a"u8.ToArray(), s.Recv(100));
            Assert.Equal(2, s.Send("hi"u8));
            var buf = new byte[10];
            Assert.Equal(2, a.Receive(buf));
            s.Connect(Addr(AF_INET, NetPort(b)));     // re-target
            Assert.Equal(Addr(AF_INET, NetPort(b)), s.GetPeerName());
            b.SendTo("b-now"u8.ToArray(), Ep(s));
            Assert.Equal("b-now"u8.ToArray(), (byte[])s.RecvFrom(100)[0]!);
            s.Send("to-b"u8);
            Assert.Equal(4, b.Receive(buf));
        }
        finally
        {
            s.Close();
        }
    }

    [Fact]
    public void Modes_NonBlockingTimeoutBlocking()
    {
        var s = Bound();
        using var peer = NetPeer();
        try
        {
            s.SetBlocking(false);
            Assert.Equal(Errno.EAGAIN, Raises(() => s.RecvFrom(10)).Errno);
            Assert.Equal(Errno.EAGAIN, Raises(() => s.Recv(0)).Errno);
            s.SetTimeout(0.05);
            PySocketException t = Raises(() => s.RecvFrom(10));
            Assert.Equal(PyErrorKind.Timeout, t.Kind);
            Assert.Equal("timed out", t.Message);
            s.SetTimeout(null);
            var sender = new Thread(() => peer.SendTo("wake"u8.ToArray(), Ep(s)));
            sender.Start();
            Assert.Equal("wake"u8.ToArray(), s.Recv(10));  // blocking: whether it sent before or after, we get it
            sender.Join();
            Assert.Equal(Errno.EAGAIN, Raises(() => s.Recv(10, MSG_DONTWAIT)).Errno);
        }
        finally
        {
            s.Close();
        }
    }

    [Fact]
    public void CloseFromAnotherThread_WakesBlockedRecv()
    {
        var s = Bound();
        s.SetTimeout(null);
        PySocketException? seen = null;
        var t = new Thread(() => seen = Assert.Throws<PySocketException>(() => s.Recv(10)));
        t.Start();
        while (t.ThreadState != System.Threading.ThreadState.WaitSleepJoin) Thread.Yield();
        s.Close();
        Assert.True(t.Join(5000));
        Assert.Equal(Errno.EBADF, seen!.Errno);
    }

    [Fact]
    public void BadInput_AsCPython()
    {
        var s = new SocketObject(AF_INET, SOCK_DGRAM);
        var s6 = new SocketObject(AF_INET6, SOCK_DGRAM);
        try
        {
            Assert.Equal(Errno.EDESTADDRREQ, Raises(() => s.Send("x"u8)).Errno);
            Assert.Equal("sendto(): AF_INET address must be tuple, not str", Raises(() => s.SendTo("x"u8, 0, "abc")).Message);
            Assert.Equal("sendto(): AF_INET address must be tuple, not NoneType", Raises(() => s.SendTo("x"u8, 0, null)).Message);
            Assert.Equal("AF_INET address must be a pair (host, port)", Raises(() => s.SendTo("x"u8, 0, new object[] { "::1", 5, 0, 0 })).Message);
            PySocketException big = Raises(() => s.SendTo(new byte[65508], 0, new object[] { "127.0.0.1", 9 }));
            Assert.Equal(Errno.EMSGSIZE, big.Errno);
            Assert.Equal(65507, s.SendTo(new byte[65507], 0, new object[] { "127.0.0.1", 9 }));
            Assert.Equal(Errno.EMSGSIZE, Raises(() => s6.SendTo(new byte[65528], 0, new object[] { "::1", 9, 0, 0 })).Errno);
            Assert.Equal(PyErrorKind.GaiError, Raises(() => s6.SendTo("x"u8, 0, new object[] { "127.0.0.1", 9 })).Kind);
            Assert.Equal("negative buffersize in recvfrom", Raises(() => s.RecvFrom(-1)).Message);
            Assert.Equal("negative buffersize in recvfrom_into", Raises(() => s.RecvFromInto(new byte[3], -1, 0)).Message);
            Assert.Equal("nbytes is greater than the length of the buffer", Raises(() => s.RecvFromInto(new byte[3], 5, 0)).Message);
            Assert.Equal(Errno.EOPNOTSUPP, Raises(() => s.Listen()).Errno);
            Assert.Equal(Errno.EOPNOTSUPP, Raises(() => s.Accept()).Errno);
            Assert.Equal(Errno.EPROTONOSUPPORT, Raises(() => new SocketObject(AF_INET, SOCK_DGRAM, IPPROTO_TCP)).Errno);
            Assert.Equal(IPPROTO_UDP, new SocketObject(AF_INET, SOCK_DGRAM, IPPROTO_UDP) is var u ? u.Proto + 0 * Close(u) : 0);
            Assert.Equal(Errno.ENOTCONN, Raises(() => s.Shutdown(SHUT_RDWR)).Errno);
            Assert.Equal(Errno.EPIPE, Raises(() => s.SendTo("x"u8, 0, new object[] { "127.0.0.1", 9 })).Errno); // Linux set the flag anyway
        }
        finally
        {
            s.Close();
            s6.Close();
        }
    }

    static int Close(SocketObject s)
    {
        s.Close();
        return 0;
    }

    [Fact]
    public void Broadcast_NeedsSoBroadcast()
    {
        var s = new SocketObject(AF_INET, SOCK_DGRAM);
        try
        {
            PySocketException e = Raises(() => s.SendTo("x"u8, 0, new object[] { "<broadcast>", 9 }));
            Assert.Equal(Errno.EACCES, e.Errno);
            Assert.Equal(0, s.GetSockOpt(SOL_SOCKET, SO_BROADCAST));
            s.SetSockOpt(SOL_SOCKET, SO_BROADCAST, 1);
            Assert.Equal(1, s.GetSockOpt(SOL_SOCKET, SO_BROADCAST));
            try
            {
                s.SendTo("x"u8, 0, new object[] { "<broadcast>", 9 });
            }
            catch (PySocketException ex) when (ex.Errno == Errno.ENETUNREACH)
            {
                // A machine without a broadcast route: the permission check passed, which is the point.
            }
        }
        finally
        {
            s.Close();
        }
    }

    [Fact]
    public void IcmpPortUnreachable_ConnectionRefusedOnNextRecv()
    {
        using var gone = NetPeer();
        int port = NetPort(gone);
        gone.Close();
        var s = Bound();
        try
        {
            s.Connect(Addr(AF_INET, port));
            Assert.Equal(1, s.Send("x"u8));
            s.SetTimeout(10);
            PySocketException e = Raises(() => s.Recv(10));
            Assert.Equal(Errno.ECONNREFUSED, e.Errno);
            s.SetBlocking(false);
            Assert.Equal(Errno.EAGAIN, Raises(() => s.Recv(10)).Errno); // reported once
        }
        finally
        {
            s.Close();
        }
    }

    [Fact]
    public void Options_StraightToTheKernel()
    {
        var s = new SocketObject(AF_INET, SOCK_DGRAM);
        var s6 = new SocketObject(AF_INET6, SOCK_DGRAM);
        try
        {
            s.SetSockOpt(SOL_SOCKET, SO_REUSEADDR, 1);
            Assert.Equal(1, s.GetSockOpt(SOL_SOCKET, SO_REUSEADDR));
            s.SetSockOpt(SOL_SOCKET, SO_RCVBUF, 65536);
            Assert.Equal(131072, s.GetSockOpt(SOL_SOCKET, SO_RCVBUF));   // Linux doubles it
            s.SetSockOpt(SOL_SOCKET, SO_SNDBUF, 65536);
            Assert.Equal(131072, s.GetSockOpt(SOL_SOCKET, SO_SNDBUF));
            s.SetSockOpt(IPPROTO_IP, IP_TTL, 7);
            Assert.Equal(7, s.GetSockOpt(IPPROTO_IP, IP_TTL));
            s.SetSockOpt(IPPROTO_IP, IP_MULTICAST_TTL, 2);
            Assert.Equal(2, s.GetSockOpt(IPPROTO_IP, IP_MULTICAST_TTL));
            s.SetSockOpt(IPPROTO_IP, IP_MULTICAST_LOOP, 0);
            Assert.Equal(0, s.GetSockOpt(IPPROTO_IP, IP_MULTICAST_LOOP));
            byte[] mreq = [239, 1, 2, 3, 127, 0, 0, 1];   // struct ip_mreq: group, interface
            s.SetSockOpt(IPPROTO_IP, IP_ADD_MEMBERSHIP, mreq);
            s.SetSockOpt(IPPROTO_IP, IP_DROP_MEMBERSHIP, mreq);
            Assert.Equal(Errno.EADDRNOTAVAIL, Raises(() => s.SetSockOpt(IPPROTO_IP, IP_DROP_MEMBERSHIP, mreq)).Errno);
            Assert.Equal(0, s6.GetSockOpt(IPPROTO_IPV6, IPV6_V6ONLY));   // Linux default, unlike .NET's
            byte[] mreq6 = new byte[20];                  // struct ipv6_mreq: group, ifindex
            mreq6[0] = 0xff; mreq6[1] = 0x02; mreq6[15] = 0x42;
            mreq6[16] = 1;                                // lo
            s6.SetSockOpt(IPPROTO_IPV6, IPV6_JOIN_GROUP, mreq6);
        }
        finally
        {
            s.Close();
            s6.Close();
        }
    }

    [Fact]
    public void Select_And_Poll_Readiness()
    {
        var s = new SocketObject(AF_INET, SOCK_DGRAM);
        using var peer = NetPeer();
        try
        {
            // python3: a fresh UDP socket polls (fd, POLLOUT) and selects writable only; with a datagram, IN|OUT.
            var res = SelectModule.Select([s], [s], [s], 0.0);
            Assert.Empty(res.Readable);
            Assert.Single(res.Writable);
            Assert.Empty(res.Exceptional);
            PollObject p = SelectModule.Poll();
            p.Register(s.Fileno());
            Assert.Equal([(s.Fileno(), PollEvents.POLLOUT)], p.Poll(0));
            s.Bind(Addr(AF_INET, 0));
            s.SetTimeout(10);
            // A select that has to wait is woken by the datagram.
            var sender = new Thread(() => peer.SendTo("q"u8.ToArray(), Ep(s)));
            sender.Start();
            res = SelectModule.Select([s], [], [], 10.0);
            sender.Join();
            Assert.Single(res.Readable);
            Assert.Equal([(s.Fileno(), PollEvents.POLLIN | PollEvents.POLLOUT)], p.Poll(0));
            s.Recv(10);
            Assert.Equal([(s.Fileno(), PollEvents.POLLOUT)], p.Poll(0));
            // A poll that waits for IN only is woken by the next datagram.
            p.Modify(s.Fileno(), PollEvents.POLLIN);
            sender = new Thread(() => peer.SendTo("z"u8.ToArray(), Ep(s)));
            sender.Start();
            Assert.Equal([(s.Fileno(), PollEvents.POLLIN)], p.Poll(10_000));
            sender.Join();
            p.Unregister(s.Fileno());
            Assert.Equal(0, s.Datagram!.WatcherCount);
        }
        finally
        {
            s.Close();
        }
    }

    [Fact]
    public void BoundedQueue_DropsBeyondSoRcvbuf_AreCounted()
    {
        var s = new SocketObject(AF_INET, SOCK_DGRAM);
        using var peer = NetPeer();
        try
        {
            s.SetSockOpt(SOL_SOCKET, SO_RCVBUF, 4096);
            s.Bind(Addr(AF_INET, 0));
            const int sent = 300;
            var payload = new byte[1000];
            for (int i = 0; i < sent; i++) peer.SendTo(payload, Ep(s));
            s.SetBlocking(false);
            int received = 0;
            while (true)
            {
                try
                {
                    Assert.Equal(1000, s.Recv(2000).Length);
                    received++;
                }
                catch (PySocketException e) when (e.Errno == Errno.EAGAIN)
                {
                    break;
                }
            }
            uint drops = s.Datagram!.KernelDrops;
            Assert.True(received < sent, "the bound must have dropped some");
            Assert.True(received > 0);
            Assert.Equal(sent, received + (int)drops);
        }
        finally
        {
            s.Close();
        }
    }
}
