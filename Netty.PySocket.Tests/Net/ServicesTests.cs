using System.Numerics;
using Netty.PySocket.Net;

namespace Netty.PySocket.Tests.Net;

public class ServicesTests
{
    static readonly (string Py, Func<object?> Net)[] Cases =
    [
        ("s.getservbyname('http')", () => Services.GetServByName("http")),
        ("s.getservbyname('http', 'tcp')", () => Services.GetServByName("http", "tcp")),
        ("s.getservbyname('http', 'udp')", () => Services.GetServByName("http", "udp")),
        ("s.getservbyname('domain', 'udp')", () => Services.GetServByName("domain", "udp")),
        ("s.getservbyname('www')", () => Services.GetServByName("www")),
        ("s.getservbyname('amqp', 'sctp')", () => Services.GetServByName("amqp", "sctp")),
        ("s.getservbyname('nosuch')", () => Services.GetServByName("nosuch")),
        ("s.getservbyname('HTTP')", () => Services.GetServByName("HTTP")),
        ("s.getservbyname('http', 'TCP')", () => Services.GetServByName("http", "TCP")),
        ("s.getservbyname(b'http')", () => Services.GetServByName("http"u8.ToArray())),
        ("s.getservbyname('http', b'tcp')", () => Services.GetServByName("http", "tcp"u8.ToArray())),
        ("s.getservbyname(1)", () => Services.GetServByName(1)),
        ("s.getservbyname('http', None)", () => Services.GetServByName("http", null)),
        ("s.getservbyport(80)", () => Services.GetServByPort(80)),
        ("s.getservbyport(80, 'udp')", () => Services.GetServByPort(80, "udp")),
        ("s.getservbyport(53, 'udp')", () => Services.GetServByPort(53, "udp")),
        ("s.getservbyport(1)", () => Services.GetServByPort(1)),
        ("s.getservbyport(65535)", () => Services.GetServByPort(65535)),
        ("s.getservbyport(-1)", () => Services.GetServByPort(-1)),
        ("s.getservbyport(65536)", () => Services.GetServByPort(65536)),
        ("s.getservbyport(2**40)", () => Services.GetServByPort(1L << 40)),
        ("s.getservbyport(2**70)", () => Services.GetServByPort(BigInteger.Pow(2, 70))),
        ("s.getservbyport('80')", () => Services.GetServByPort("80")),
        ("s.getservbyport(80.0)", () => Services.GetServByPort(80.0)),
        ("s.getservbyport(80, 'nope')", () => Services.GetServByPort(80, "nope")),
        ("s.getservbyport(80, None)", () => Services.GetServByPort(80, null)),
        ("s.getprotobyname('tcp')", () => Services.GetProtoByName("tcp")),
        ("s.getprotobyname('TCP')", () => Services.GetProtoByName("TCP")),
        ("s.getprotobyname('udp')", () => Services.GetProtoByName("udp")),
        ("s.getprotobyname('ip')", () => Services.GetProtoByName("ip")),
        ("s.getprotobyname('icmp')", () => Services.GetProtoByName("icmp")),
        ("s.getprotobyname('ipv6-icmp')", () => Services.GetProtoByName("ipv6-icmp")),
        ("s.getprotobyname('nope')", () => Services.GetProtoByName("nope")),
        ("s.getprotobyname(b'tcp')", () => Services.GetProtoByName("tcp"u8.ToArray())),
        ("s.getprotobyname(None)", () => Services.GetProtoByName(null)),
    ];

    static readonly Lazy<Dictionary<string, string>> Expected = Parity.Expected(Cases);

    public static TheoryData<string> Names => Parity.Names(Cases);

    [Theory, MemberData(nameof(Names))]
    public void MatchesCPython(string py) => Parity.Check(Cases, Expected, py);
}
