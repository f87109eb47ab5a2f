using System.Numerics;
using Netty.PySocket.Net;

namespace Netty.PySocket.Tests.Net;

public class InterfacesTests
{
    static readonly (string Py, Func<object?> Net)[] Cases =
    [
        ("s.if_nameindex()", () => Interfaces.IfNameIndex()),
        ("s.if_nametoindex('lo')", () => Interfaces.IfNameToIndex("lo")),
        ("s.if_nametoindex(b'lo')", () => Interfaces.IfNameToIndex("lo"u8.ToArray())),
        ("s.if_nametoindex('nope')", () => Interfaces.IfNameToIndex("nope")),
        ("s.if_nametoindex('')", () => Interfaces.IfNameToIndex("")),
        ("s.if_nametoindex(1)", () => Interfaces.IfNameToIndex(1)),
        ("s.if_nametoindex('a\\x00')", () => Interfaces.IfNameToIndex("a\0")),
        ("s.if_indextoname(1)", () => Interfaces.IfIndexToName(1)),
        ("s.if_indextoname(99)", () => Interfaces.IfIndexToName(99)),
        ("s.if_indextoname(0)", () => Interfaces.IfIndexToName(0)),
        ("s.if_indextoname(-1)", () => Interfaces.IfIndexToName(-1)),
        ("s.if_indextoname('1')", () => Interfaces.IfIndexToName("1")),
        ("s.if_indextoname(2**32)", () => Interfaces.IfIndexToName(1L << 32)),
        ("s.if_indextoname(2**32 + 1)", () => Interfaces.IfIndexToName((1L << 32) + 1)),
        ("s.if_indextoname(2**70)", () => Interfaces.IfIndexToName(BigInteger.Pow(2, 70))),
        ("s.has_ipv6", () => Interfaces.HasIpv6),
    ];

    static readonly Lazy<Dictionary<string, string>> Expected = Parity.Expected(Cases);

    public static TheoryData<string> Names => Parity.Names(Cases);

    [Theory, MemberData(nameof(Names))]
    public void MatchesCPython(string py) => Parity.Check(Cases, Expected, py);
}
