using System.Buffers.Binary;
using Netty.PySocket.Errors;
using Netty.PySocket.Socket;
using static Netty.PySocket.Net.SocketConstants;
using static Netty.PySocket.Tests.Udp.UdpKit;

namespace Netty.PySocket.Tests.Udp;

/// <summary>sendmsg/recvmsg ancillary data on datagram sockets (SocketObject.SendMsg/RecvMsg, DatagramCore.Msg).</summary>
public sealed class AncillaryTests : IDisposable
{
    readonly List<SocketObject> opened = [];

    SocketObject Open(int family)
    {
        SocketObject s = Bound(family);
        opened.Add(s);
        return s;
    }

    public void Dispose()
    {
        foreach (SocketObject s in opened) s.Close();
    }

    // Linux values Python 3.11 does not all export.
    const int IP_TOS = 1, IP_PKTINFO = 8, IP_RECVTTL = 12, IP_RECVTOS = 13;

    static byte[] Int32(int v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, v);
        return b;
    }

    static object?[] Item(object? ancillary, int i) => (object?[])((object?[])ancillary!)[i]!;

    static int Send(SocketObject from, SocketObject to, int family, byte[] data, params (int Level, int Type, byte[] Data)[] items) =>
        from.SendMsg(data, items.Select(i => i.Level).ToArray(), items.Select(i => i.Type).ToArray(),
            items.Select(i => i.Data).ToArray(), 0, Addr(family, Port(to)));

    [Fact]
    public void Ipv6HopLimitAndTrafficClassTravelAsAncillaryData()
    {
        var a = Open(AF_INET6);
        var b = Open(AF_INET6);
        b.SetSockOpt(IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1);
        b.SetSockOpt(IPPROTO_IPV6, IPV6_RECVTCLASS, 1);
        Assert.Equal(5, Send(a, b, AF_INET6, "hello"u8.ToArray(),
            (IPPROTO_IPV6, IPV6_HOPLIMIT, Int32(7)), (IPPROTO_IPV6, IPV6_TCLASS, Int32(0x20))));
        object?[] r = b.RecvMsg(100, 1024);
        Assert.Equal("hello"u8.ToArray(), (byte[])r[0]!);
        Assert.Equal(2, ((object?[])r[1]!).Length);
        Assert.Equal(new object[] { IPPROTO_IPV6, IPV6_HOPLIMIT, Int32(7) }, Item(r[1], 0));
        Assert.Equal(new object[] { IPPROTO_IPV6, IPV6_TCLASS, Int32(0x20) }, Item(r[1], 1));
        Assert.Equal(0, r[2]);
        Assert.Equal(Addr(AF_INET6, Port(a)), (object[])r[3]!);
        Assert.False((bool)r[4]!);
    }

    [Fact]
    public void SmallControlBufferSetsCtruncAndCutsTheItem()
    {
        var a = Open(AF_INET6);
        var b = Open(AF_INET6);
        b.SetSockOpt(IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1);
        Send(a, b, AF_INET6, "x"u8.ToArray());
        Send(a, b, AF_INET6, "y"u8.ToArray());
        object?[] cut = b.RecvMsg(10, 16 + 2);                  // CMSG_LEN(0) + 2: the kernel cuts cmsg_len too
        Assert.Equal(MSG_CTRUNC, cut[2]);
        Assert.Equal(new byte[] { 64, 0 }, (byte[])Item(cut[1], 0)[2]!);
        Assert.False((bool)cut[4]!);
        object?[] none = b.RecvMsg(10, 15);                      // no room for a header: nothing, MSG_CTRUNC
        Assert.Equal("y"u8.ToArray(), (byte[])none[0]!);
        Assert.Empty((object?[])none[1]!);
        Assert.Equal(MSG_CTRUNC, none[2]);
    }

    [Fact]
    public void Ipv4PacketInfoTosAndTtl()
    {
        var a = Open(AF_INET);
        var b = Open(AF_INET);
        b.SetSockOpt(IPPROTO_IP, IP_PKTINFO, 1);
        b.SetSockOpt(IPPROTO_IP, IP_RECVTOS, 1);
        b.SetSockOpt(IPPROTO_IP, IP_RECVTTL, 1);
        Send(a, b, AF_INET, "ip4"u8.ToArray(), (IPPROTO_IP, IP_TTL, Int32(9)), (IPPROTO_IP, IP_TOS, [0x10]));
        object?[] r = b.RecvMsg(100, 1024);
        var items = ((object?[])r[1]!).Cast<object?[]>().ToDictionary(i => (int)i[1]!, i => (byte[])i[2]!);
        Assert.Equal(new byte[] { 127, 0, 0, 1 }, items[IP_PKTINFO][8..12]); // in_pktinfo.ipi_addr
        Assert.Equal(new byte[] { 0x10 }, items[IP_TOS]);
        Assert.Equal(Int32(9), items[IP_TTL]);
        Assert.Equal(0, r[2]);
    }

    [Fact]
    public void DataTruncationPeekAndKernelErrors()
    {
        var a = Open(AF_INET6);
        var b = Open(AF_INET6);
        var bad = PySocketRaises(() => Send(a, b, AF_INET6, "x"u8.ToArray(), (IPPROTO_IPV6, IPV6_HOPLIMIT, [1])));
        Assert.Equal(Errno.EINVAL, bad.Errno);
        Send(a, b, AF_INET6, "abcdef"u8.ToArray());
        object?[] peeked = b.RecvMsg(100, 0, MSG_PEEK);
        Assert.Equal("abcdef"u8.ToArray(), (byte[])peeked[0]!);
        object?[] cut = b.RecvMsg(2);
        Assert.Equal("ab"u8.ToArray(), (byte[])cut[0]!);
        Assert.Equal(MSG_TRUNC, cut[2]);
        b.SetBlocking(false);
        Assert.Equal(Errno.EAGAIN, PySocketRaises(() => b.RecvMsg(10, 64)).Errno);
        b.SetTimeout(0.05);
        Assert.Equal(PyErrorKind.Timeout, PySocketRaises(() => b.RecvMsg(10, 64)).Kind);
    }

    static PySocketException PySocketRaises(Action a) => Assert.Throws<PySocketException>(a);

    /// <summary>CPython natively and us, same datagram, every interesting control buffer size: same items, flags, warning.</summary>
    [Fact]
    public void TruncationMatchesNativeCPython()
    {
        int[] sizes = [0, 1, 15, 16, 17, 18, 20, 23, 24, 25, 28, 40, 44, 47, 48, 1024];
        string script = $$"""
import socket, warnings
a = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); a.bind(('::1', 0))
b = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); b.bind(('::1', 0)); b.settimeout(10)
b.setsockopt(41, socket.IPV6_RECVHOPLIMIT, 1); b.setsockopt(41, socket.IPV6_RECVTCLASS, 1)
out = []
for size in {{"[" + string.Join(",", sizes) + "]"}}:
    a.sendmsg([b'd'], [(41, socket.IPV6_HOPLIMIT, (5).to_bytes(4, 'little'))], 0, b.getsockname())
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        _, anc, flags, _ = b.recvmsg(10, size)
    out.append(';'.join(f'{l},{t},{d.hex()}' for l, t, d in anc) + f'|{flags}|{len(w)}')
print(' '.join(out), flush=True)
""";
        using var py = new Py(script);
        string native = py.ReadLine();
        var a = Open(AF_INET6);
        var b = Open(AF_INET6);
        b.SetSockOpt(IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1);
        b.SetSockOpt(IPPROTO_IPV6, IPV6_RECVTCLASS, 1);
        var ours = new List<string>();
        foreach (int size in sizes)
        {
            Send(a, b, AF_INET6, "d"u8.ToArray(), (IPPROTO_IPV6, IPV6_HOPLIMIT, Int32(5)));
            object?[] r = b.RecvMsg(10, size);
            string items = string.Join(';', ((object?[])r[1]!).Cast<object?[]>()
                .Select(i => $"{i[0]},{i[1]},{Convert.ToHexString((byte[])i[2]!).ToLowerInvariant()}"));
            ours.Add($"{items}|{r[2]}|{((bool)r[4]! ? 1 : 0)}");
        }
        Assert.Equal(native, string.Join(' ', ours));
    }

    [Fact]
    public void ParserWalksAsCPythonOnGlibc()
    {
        var control = new byte[16 + 8 + 16];
        BinaryPrimitives.WriteUInt64LittleEndian(control, 16 + 4);
        BinaryPrimitives.WriteInt32LittleEndian(control.AsSpan(8), 41);
        BinaryPrimitives.WriteInt32LittleEndian(control.AsSpan(12), 52);
        BinaryPrimitives.WriteUInt64LittleEndian(control.AsSpan(24), 16 + 40); // claims more than is there
        List<ControlMessage> items = ControlMessage.Parse(control, out bool malformed);
        Assert.Equal(2, items.Count);                            // glibc's CMSG_NXTHDR trusts a header that fits...
        Assert.Empty(items[1].Data);                             // ...whose data is cut to what is there: CPython warns
        Assert.True(malformed);
        items = ControlMessage.Parse(control.AsSpan(0, 39), out malformed);
        Assert.Single(items);                                    // no room for a whole second header: the walk ends
        Assert.False(malformed);
        items = ControlMessage.Parse(control.AsSpan(0, 18), out malformed);
        Assert.Equal(2, items[0].Data.Length);                  // cut item: CPython warns
        Assert.True(malformed);
        BinaryPrimitives.WriteUInt64LittleEndian(control, 8);    // cmsg_len below a header
        Assert.Empty(ControlMessage.Parse(control, out malformed));
        Assert.True(malformed);
    }
}
