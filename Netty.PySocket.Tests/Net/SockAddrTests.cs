using System.Net;
using System.Numerics;
using Netty.PySocket.Net;
using static Netty.PySocket.Net.SocketConstants;

namespace Netty.PySocket.Tests.Net;

public class SockAddrTests
{
    // Errors come from CPython's own sendto/bind/connect argument parsing; successes are rendered the way CPython's
    // getsockname shows what it bound (address, port[, flowinfo, scope]).
    static object?[] T(params object?[] items) => items;

    static object? P(int family, object? addr, string caller = "sendto")
    {
        var ep = SockAddr.Parse(family, addr, caller);
        return SockAddr.ToTuple(ep, family);
    }

    static readonly (string Py, Func<object?> Net)[] Cases =
    [
        ("u4.sendto(b'', 'x')", () => P(AF_INET, "x")),
        ("u4.sendto(b'', None)", () => P(AF_INET, null)),
        ("u4.sendto(b'', 5)", () => P(AF_INET, 5)),
        ("u4.sendto(b'', ['127.0.0.1', 9])", () => P(AF_INET, new List<object> { "127.0.0.1", 9 })),
        ("u4.sendto(b'', Foo())", () => P(AF_INET, new OpaqueValue("Foo"))),
        ("u4.sendto(b'', {})", () => P(AF_INET, new Dictionary<object, object>())),
        ("u4.sendto(b'', ())", () => P(AF_INET, T())),
        ("u4.sendto(b'', ('a',))", () => P(AF_INET, T("a"))),
        ("u4.sendto(b'', ('a',1,2))", () => P(AF_INET, T("a", 1, 2))),
        ("u4.sendto(b'', (1, 2))", () => P(AF_INET, T(1, 2))),
        ("u4.sendto(b'', (None, 2))", () => P(AF_INET, T(null, 2))),
        ("u4.sendto(b'', (1.5, 'x'))", () => P(AF_INET, T(1.5, "x"))),
        ("u4.sendto(b'', ('127.0.0.1', '9'))", () => P(AF_INET, T("127.0.0.1", "9"))),
        ("u4.sendto(b'', ('127.0.0.1', 9.0))", () => P(AF_INET, T("127.0.0.1", 9.0))),
        ("u4.sendto(b'', ('127.0.0.1', None))", () => P(AF_INET, T("127.0.0.1", null))),
        ("u4.sendto(b'', ('nonexistent.invalid', 'x'))", () => P(AF_INET, T("nonexistent.invalid", "x"))),
        ("u4.sendto(b'', ('127.0.0.1', -1))", () => P(AF_INET, T("127.0.0.1", -1))),
        ("u4.sendto(b'', ('127.0.0.1', 65536))", () => P(AF_INET, T("127.0.0.1", 65536))),
        ("u4.sendto(b'', ('127.0.0.1', 2**31))", () => P(AF_INET, T("127.0.0.1", 1L << 31))),
        ("u4.sendto(b'', ('127.0.0.1', 2**100))", () => P(AF_INET, T("127.0.0.1", BigInteger.Pow(2, 100)))),
        ("u4.connect(('127.0.0.1', -1))", () => P(AF_INET, T("127.0.0.1", -1), "connect")),
        ("u4.bind(('127.0.0.1', 70000))", () => P(AF_INET, T("127.0.0.1", 70000), "bind")),
        ("u4.connect_ex(('127.0.0.1', 70000))", () => P(AF_INET, T("127.0.0.1", 70000), "connect_ex")),
        ("u4.sendto(b'', ('127.0.0.1\\x00', 9))", () => P(AF_INET, T("127.0.0.1\0", 9))),
        ("u4.sendto(b'', ('nonexistent.invalid', 9))", () => P(AF_INET, T("nonexistent.invalid", 9))),
        ("u4.sendto(b'', ('::1', 9))", () => P(AF_INET, T("::1", 9))),
        ("u4.sendto(b'', ('256.0.0.1', 9))", () => P(AF_INET, T("256.0.0.1", 9))),
        ("u6.bind(('<broadcast>', 0))", () => P(AF_INET6, T("<broadcast>", 0), "bind")),
        ("u6.bind(('255.255.255.255', 0))", () => P(AF_INET6, T("255.255.255.255", 0), "bind")),
        ("u6.sendto(b'', 'x')", () => P(AF_INET6, "x")),
        ("u6.sendto(b'', None)", () => P(AF_INET6, null)),
        ("u6.sendto(b'', ('::1',))", () => P(AF_INET6, T("::1"))),
        ("u6.sendto(b'', ('::1',1,2,3,4))", () => P(AF_INET6, T("::1", 1, 2, 3, 4))),
        ("u6.sendto(b'', ('::1', 9, -1))", () => P(AF_INET6, T("::1", 9, -1))),
        ("u6.sendto(b'', ('::1', 9, 1048576))", () => P(AF_INET6, T("::1", 9, 1048576))),
        ("u6.sendto(b'', ('::1', 9, 'a'))", () => P(AF_INET6, T("::1", 9, "a"))),
        ("u6.sendto(b'', ('::1', 9, 0, 'a'))", () => P(AF_INET6, T("::1", 9, 0, "a"))),
        ("u6.sendto(b'', ('::1', 9, 0.5))", () => P(AF_INET6, T("::1", 9, 0.5))),
        ("u6.sendto(b'', ('::1', -1, 0, 0))", () => P(AF_INET6, T("::1", -1, 0, 0))),
        ("u6.sendto(b'', ('::1', 70000, 0, 0))", () => P(AF_INET6, T("::1", 70000, 0, 0))),
        ("u6.sendto(b'', ('127.0.0.1', 9))", () => P(AF_INET6, T("127.0.0.1", 9))),
        ("u6.sendto(b'', (5, 9))", () => P(AF_INET6, T(5, 9))),
        ("u6.sendto(b'', ('localhost', 9))", () => P(AF_INET6, T("localhost", 9))),
        ("u6.sendto(b'', ('fe80::1%nope', 9))", () => P(AF_INET6, T("fe80::1%nope", 9))),
        ("u6.sendto(b'', ('nonexistent.invalid', 9))", () => P(AF_INET6, T("nonexistent.invalid", 9))),
        // Successful parses, shown as CPython reports the bound address.
        ("(lambda x: (x.bind(('127.0.0.1', 0)), x.getsockname()[0])[1])(s.socket())", () => ((object[])P(AF_INET, T("127.0.0.1", 0), "bind")!)[0]),
        ("(lambda x: (x.bind(('', 0)), x.getsockname()[0])[1])(s.socket())", () => ((object[])P(AF_INET, T("", 0), "bind")!)[0]),
        ("(lambda x: (x.bind(('localhost', 0)), x.getsockname()[0])[1])(s.socket())", () => ((object[])P(AF_INET, T("localhost", 0), "bind")!)[0]),
        ("(lambda x: (x.bind((b'127.0.0.1', 0)), x.getsockname()[0])[1])(s.socket())", () => ((object[])P(AF_INET, T("127.0.0.1"u8.ToArray(), 0), "bind")!)[0]),
        ("(lambda x: (x.bind(('127.1', 0)), x.getsockname()[0])[1])(s.socket())", () => ((object[])P(AF_INET, T("127.1", 0), "bind")!)[0]),
        ("(lambda x: (x.bind(('0x7f.1', 0)), x.getsockname()[0])[1])(s.socket())", () => ((object[])P(AF_INET, T("0x7f.1", 0), "bind")!)[0]),
        ("(lambda x: (x.bind(('::ffff:127.0.0.1', 0)), x.getsockname()[0])[1])(s.socket())", () => ((object[])P(AF_INET, T("::ffff:127.0.0.1", 0), "bind")!)[0]),
        ("(lambda x: (x.bind(('::1', 0)), x.getsockname()[0])[1])(s.socket(s.AF_INET6))", () => ((object[])P(AF_INET6, T("::1", 0), "bind")!)[0]),
        ("(lambda x: (x.bind(('', 0)), x.getsockname()[0])[1])(s.socket(s.AF_INET6))", () => ((object[])P(AF_INET6, T("", 0), "bind")!)[0]),
        ("(lambda x: (x.bind(('::ffff:127.0.0.1', 0)), x.getsockname()[0])[1])(s.socket(s.AF_INET6))", () => ((object[])P(AF_INET6, T("::ffff:127.0.0.1", 0), "bind")!)[0]),
        ("(lambda x: (x.bind(('fe80::fc:ff:fe00:1', 0, 0, 4)), x.getsockname()[::2])[1])(s.socket(s.AF_INET6))", () => { var t = (object[])P(AF_INET6, T("fe80::fc:ff:fe00:1", 0, 0, 4), "bind")!; return T(t[0], t[2]); }),
    ];

    static readonly Lazy<Dictionary<string, string>> Expected = Parity.Expected(Cases);

    public static TheoryData<string> Names => Parity.Names(Cases);

    [Theory, MemberData(nameof(Names))]
    public void MatchesCPython(string py) => Parity.Check(Cases, Expected, py);

    [Fact]
    public void Ipv4Endpoint()
    {
        var ep = SockAddr.Parse(AF_INET, T("127.0.0.1", 8080), "connect");
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 8080), ep);
        Assert.Equal(IPAddress.Broadcast, SockAddr.Parse(AF_INET, T("<broadcast>", 1), "sendto").Address);
        Assert.Equal(IPAddress.Any, SockAddr.Parse(AF_INET, T("", 1), "bind").Address);
        Assert.Equal(1, SockAddr.Parse(AF_INET, T("127.0.0.1", true), "bind").Port); // bool is an int
        Assert.Equal(9, SockAddr.Parse(AF_INET, Tuple.Create("127.0.0.1", 9), "bind").Port); // any ITuple
    }

    [Fact]
    public void Ipv6ScopeComesFromTheTupleAsInCPython()
    {
        // CPython validates "%lo" via getaddrinfo but then overwrites sin6_scope_id with the tuple's value.
        Assert.Equal(0, SockAddr.Parse(AF_INET6, T("fe80::1%lo", 1), "bind").Address.ScopeId);
        Assert.Equal(7, SockAddr.Parse(AF_INET6, T("fe80::1%lo", 1, 0, 7), "bind").Address.ScopeId);
        // scope_id and flowinfo are masked to 32 bits (getargs "I").
        Assert.Equal(0, SockAddr.Parse(AF_INET6, T("::1", 1, 1L << 32, 1L << 32), "bind").Address.ScopeId);
        Assert.Equal(uint.MaxValue, SockAddr.Parse(AF_INET6, T("::1", 1, 0, -1), "bind").Address.ScopeId);
    }

    [Fact]
    public void ToTupleShapes()
    {
        Assert.Equal(T("127.0.0.1", 80), SockAddr.ToTuple(new IPEndPoint(IPAddress.Loopback, 80), AF_INET));
        Assert.Equal(T("127.0.0.1", 80), SockAddr.ToTuple(new IPEndPoint(IPAddress.Loopback.MapToIPv6(), 80), AF_INET));
        Assert.Equal(T("::ffff:127.0.0.1", 80, 0, 0), SockAddr.ToTuple(new IPEndPoint(IPAddress.Loopback, 80), AF_INET6));
        Assert.Equal(T("fe80::1", 80, 0, 4), SockAddr.ToTuple(new IPEndPoint(IPAddress.Parse("fe80::1%4"), 80), AF_INET6));
        Assert.Equal(T("::", 0, 0, 0), SockAddr.ToTuple(null, AF_INET6));
        Assert.Equal(T("0.0.0.0", 0), SockAddr.ToTuple(null, AF_INET));
        Assert.Equal(4294967295L, SockAddr.ToTuple(new IPEndPoint(new IPAddress(new byte[16], uint.MaxValue), 1), AF_INET6)[3]);
    }

    [Theory]
    [InlineData("abc", "str")]
    [InlineData(null, "NoneType")]
    [InlineData(1, "int")]
    [InlineData(1L, "int")]
    [InlineData(1.5, "float")]
    [InlineData(true, "bool")]
    public void PyTypeNames(object? v, string name) => Assert.Equal(name, SockAddr.PyTypeName(v));

    [Fact]
    public void PyTypeNamesOfContainers()
    {
        Assert.Equal("bytes", SockAddr.PyTypeName(new byte[1]));
        Assert.Equal("int", SockAddr.PyTypeName(BigInteger.One));
        Assert.Equal("tuple", SockAddr.PyTypeName(new object[1]));
        Assert.Equal("tuple", SockAddr.PyTypeName(("a", 1)));
        Assert.Equal("list", SockAddr.PyTypeName(new List<object>()));
        Assert.Equal("Foo", SockAddr.PyTypeName(new OpaqueValue("Foo")));
    }
}
