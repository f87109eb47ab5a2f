using System.Numerics;
using Netty.PySocket.Net;

namespace Netty.PySocket.Tests.Net;

public class ByteOrderTests
{
    static readonly BigInteger P70 = BigInteger.Pow(2, 70);

    static readonly (string Py, Func<object?> Net)[] Cases =
    [
        ("s.htons(1)", () => ByteOrder.Htons(1)),
        ("s.htons(0)", () => ByteOrder.Htons(0)),
        ("s.htons(65535)", () => ByteOrder.Htons(65535)),
        ("s.htons(True)", () => ByteOrder.Htons(true)),
        ("s.htons(65536)", () => ByteOrder.Htons(65536)),
        ("s.htons(-1)", () => ByteOrder.Htons(-1)),
        ("s.htons(2**70)", () => ByteOrder.Htons(P70)),
        ("s.htons(-2**70)", () => ByteOrder.Htons(-P70)),
        ("s.htons('1')", () => ByteOrder.Htons("1")),
        ("s.htons(1.0)", () => ByteOrder.Htons(1.0)),
        ("s.ntohs(258)", () => ByteOrder.Ntohs(258)),
        ("s.ntohs(65536)", () => ByteOrder.Ntohs(65536L)),
        ("s.ntohs(-1)", () => ByteOrder.Ntohs(-1)),
        ("s.htonl(1)", () => ByteOrder.Htonl(1)),
        ("s.htonl(2**32-1)", () => ByteOrder.Htonl(4294967295L)),
        ("s.htonl(2**32)", () => ByteOrder.Htonl(4294967296L)),
        ("s.htonl(2**63)", () => ByteOrder.Htonl(BigInteger.Pow(2, 63))),
        ("s.htonl(2**64)", () => ByteOrder.Htonl(BigInteger.Pow(2, 64))),
        ("s.htonl(-1)", () => ByteOrder.Htonl(-1)),
        ("s.htonl(-2**63-1)", () => ByteOrder.Htonl(-BigInteger.Pow(2, 63) - 1)),
        ("s.htonl('1')", () => ByteOrder.Htonl("1")),
        ("s.htonl(1.0)", () => ByteOrder.Htonl(1.0)),
        ("s.htonl(None)", () => ByteOrder.Htonl(null)),
        ("s.ntohl(0x01020304)", () => ByteOrder.Ntohl(0x01020304)),
        ("s.ntohl(2**32)", () => ByteOrder.Ntohl(4294967296L)),
        ("s.ntohl(-1)", () => ByteOrder.Ntohl(-1)),
    ];

    static readonly Lazy<Dictionary<string, string>> Expected = Parity.Expected(Cases);

    public static TheoryData<string> Names => Parity.Names(Cases);

    [Theory, MemberData(nameof(Names))]
    public void MatchesCPython(string py) => Parity.Check(Cases, Expected, py);
}
