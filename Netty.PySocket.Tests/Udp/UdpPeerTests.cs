using System.Net;
using Netty.PySocket.Errors;
using Netty.PySocket.Socket;
using static Netty.PySocket.Net.SocketConstants;
using static Netty.PySocket.Tests.Udp.UdpKit;

namespace Netty.PySocket.Tests.Udp;

/// <summary>Bulk echo (integrity, loss only as the bound says) and CPython's own socket module as the peer.</summary>
public class UdpPeerTests
{
    /// <summary>Datagram i: 4-byte sequence number, then (i % 997) bytes of a pattern derived from i.</summary>
    static byte[] Datagram(int i)
    {
        var d = new byte[4 + i % 997];
        BitConverter.TryWriteBytes(d, i);
        for (int k = 4; k < d.Length; k++) d[k] = (byte)(i * 31 + k);
        return d;
    }

    static int Echo(SocketObject s, object[] peer, int count, int window)
    {
        int lost = 0;
        for (int start = 0; start < count; start += window)
        {
            int end = Math.Min(count, start + window);
            for (int i = start; i < end; i++) s.SendTo(Datagram(i), 0, peer);
            for (int i = start; i < end; i++)
            {
                byte[] got;
                try
                {
                    got = s.Recv(2048);
                }
                catch (PySocketException e) when (e.Kind == PyErrorKind.Timeout)
                {
                    lost += end - i;   // checked against the kernels' drop counters by the caller
                    break;
                }
                int seq = BitConverter.ToInt32(got);
                Assert.InRange(seq, start, end - 1);
                Assert.Equal(Datagram(seq), got);
            }
        }
        return lost;
    }

    [Fact]
    public void HundredThousandDatagrams_EchoedByNetPeer_NoneCorrupted()
    {
        var s = Bound();
        using var peer = NetPeer();
        const int count = 100_000;
        var echo = new Thread(() =>
        {
            var buf = new byte[2048];
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            for (int i = 0; i < count; i++)
            {
                int n;
                try
                {
                    n = peer.ReceiveFrom(buf, ref from);
                }
                catch (System.Net.Sockets.SocketException)
                {
                    return;
                }
                peer.SendTo(buf, n, System.Net.Sockets.SocketFlags.None, from);
            }
        });
        echo.Start();
        try
        {
            s.SetTimeout(2);
            int lost = Echo(s, Addr(AF_INET, NetPort(peer)), count, window: 32);
            // Loss only where a bound says: our queue's drops (and the peer's, counted the same way).
            Assert.Equal(lost, (int)s.Datagram!.KernelDrops + PeerDrops(peer));
        }
        finally
        {
            peer.Close();
            echo.Join();
            s.Close();
        }
    }

    static int PeerDrops(System.Net.Sockets.Socket p)
    {
        var info = new byte[36];
        return p.GetRawSocketOption(SOL_SOCKET, 55, info) >= 36 ? BitConverter.ToInt32(info, 32) : 0;
    }

    const string PyEcho = """
import socket, sys
fam = socket.AF_INET6 if sys.argv[-1] == '6' else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.bind(('::1' if fam == socket.AF_INET6 else '127.0.0.1', 0))
print(s.getsockname()[1], flush=True)
while True:
    d, a = s.recvfrom(65535)
    if d == b'quit':
        break
    s.sendto(d, a)
""";

    [Theory]
    [InlineData(AF_INET)]
    [InlineData(AF_INET6)]
    public void CPythonEchoPeer_DatagramsIntact(int family)
    {
        using var py = new Py(PyEcho.Replace("sys.argv[-1] == '6'", family == AF_INET6 ? "True" : "False"));
        int port = int.Parse(py.ReadLine());
        var s = Bound(family);
        try
        {
            s.SetTimeout(5);
            object[] peer = Addr(family, port);
            Assert.Equal(0, Echo(s, peer, 2000, window: 16));
            s.SendTo([], 0, peer);                                  // zero-length datagram echoed
            object?[] r = s.RecvFrom(10);
            Assert.Equal(Array.Empty<byte>(), (byte[])r[0]!);
            Assert.Equal(peer, (object[])r[1]!);
            s.SendTo(new byte[60000], 0, peer);                      // large datagram, truncated on our side
            Assert.Equal(100, s.Recv(100).Length);
            s.SetBlocking(false);
            Assert.Equal(Errno.EAGAIN, Raises(() => s.Recv(100)).Errno);
            s.SendTo("quit"u8, 0, peer);
        }
        finally
        {
            s.Close();
        }
    }

    [Fact]
    public void CPythonClient_SeesOurAnswersAsCPythonWould()
    {
        var s = Bound();
        try
        {
            using var py = new Py($$"""
import socket
c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
c.settimeout(10)
ours = ('127.0.0.1', {{Port(s)}})
c.sendto(b'one', ours); c.sendto(b'', ours); c.sendto(b'abcdefgh', ours)
print(c.getsockname()[1], flush=True)
print(repr(c.recvfrom(100)), flush=True)
print(repr(c.recv(3)), flush=True)
c.connect(ours)
print(repr(c.recv(100)), flush=True)
""");
            int pyPort = int.Parse(py.ReadLine());
            object?[] r = s.RecvFrom(100);
            Assert.Equal("one"u8.ToArray(), (byte[])r[0]!);
            Assert.Equal(new object[] { "127.0.0.1", pyPort }, (object[])r[1]!);
            Assert.Equal(Array.Empty<byte>(), (byte[])s.RecvFrom(100)[0]!);
            Assert.Equal("abcd"u8.ToArray(), s.Recv(4));
            s.SendTo("reply"u8, 0, r[1]);
            Assert.Equal($"(b'reply', ('127.0.0.1', {Port(s)}))", py.ReadLine());
            s.SendTo("truncated"u8, 0, r[1]);
            Assert.Equal("b'tru'", py.ReadLine());
            s.Connect(r[1]);
            s.Send("connected"u8);
            Assert.Equal("b'connected'", py.ReadLine());
        }
        finally
        {
            s.Close();
        }
    }

    [Fact]
    public void CPythonConnectedPeer_FiltersUs_UntilRetargeted()
    {
        var s = Bound();
        var other = Bound();
        try
        {
            using var py = new Py($$"""
import socket
c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
c.bind(('127.0.0.1', 0))
c.connect(('127.0.0.1', {{Port(s)}}))
c.settimeout(10)
print(c.getsockname()[1], flush=True)
print(repr(c.recv(100)), flush=True)
""");
            int pyPort = int.Parse(py.ReadLine());
            other.SendTo("filtered"u8, 0, new object[] { "127.0.0.1", pyPort });
            s.SendTo("accepted"u8, 0, new object[] { "127.0.0.1", pyPort });
            Assert.Equal("b'accepted'", py.ReadLine());
        }
        finally
        {
            s.Close();
            other.Close();
        }
    }
}
