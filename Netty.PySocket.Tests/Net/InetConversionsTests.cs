using Netty.PySocket.Net;
using static Netty.PySocket.Net.SocketConstants;

namespace Netty.PySocket.Tests.Net;

public class InetConversionsTests
{
    static byte[] Hex(string h) => Convert.FromHexString(h);

    static readonly (string Py, Func<object?> Net)[] Cases =
    [
        ("s.inet_aton('127.0.0.1')", () => InetConversions.InetAton("127.0.0.1")),
        ("s.inet_aton('127.1')", () => InetConversions.InetAton("127.1")),
        ("s.inet_aton('0x7f.1')", () => InetConversions.InetAton("0x7f.1")),
        ("s.inet_aton('1')", () => InetConversions.InetAton("1")),
        ("s.inet_aton('010.0.0.1')", () => InetConversions.InetAton("010.0.0.1")),
        ("s.inet_aton('0xffffffff')", () => InetConversions.InetAton("0xffffffff")),
        ("s.inet_aton('1.0xffffff')", () => InetConversions.InetAton("1.0xffffff")),
        ("s.inet_aton('1.2.65535')", () => InetConversions.InetAton("1.2.65535")),
        ("s.inet_aton('1.2.3.4 junk')", () => InetConversions.InetAton("1.2.3.4 junk")),
        ("s.inet_aton('1.2.3.4\\n')", () => InetConversions.InetAton("1.2.3.4\n")),
        ("s.inet_aton('1.2.3.4.5')", () => InetConversions.InetAton("1.2.3.4.5")),
        ("s.inet_aton('256.1.1.1')", () => InetConversions.InetAton("256.1.1.1")),
        ("s.inet_aton('')", () => InetConversions.InetAton("")),
        ("s.inet_aton(' 1.2.3.4')", () => InetConversions.InetAton(" 1.2.3.4")),
        ("s.inet_aton('0x100000000')", () => InetConversions.InetAton("0x100000000")),
        ("s.inet_aton('1.0x1000000')", () => InetConversions.InetAton("1.0x1000000")),
        ("s.inet_aton('08.1.1.1')", () => InetConversions.InetAton("08.1.1.1")),
        ("s.inet_aton('1.2.3.')", () => InetConversions.InetAton("1.2.3.")),
        ("s.inet_aton('1..2')", () => InetConversions.InetAton("1..2")),
        ("s.inet_aton('0x')", () => InetConversions.InetAton("0x")),
        ("s.inet_aton('1.2.65536')", () => InetConversions.InetAton("1.2.65536")),
        ("s.inet_aton('99999999999999999999999')", () => InetConversions.InetAton("99999999999999999999999")),
        ("s.inet_aton('1.2.3.4\\x00')", () => InetConversions.InetAton("1.2.3.4\0")),
        ("s.inet_aton(b'1.2.3.4')", () => InetConversions.InetAton("1.2.3.4"u8.ToArray())),
        ("s.inet_aton(1)", () => InetConversions.InetAton(1)),
        ("s.inet_aton(None)", () => InetConversions.InetAton(null)),
        ("s.inet_ntoa(b'\\x7f\\x00\\x00\\x01')", () => InetConversions.InetNtoa(new byte[] { 127, 0, 0, 1 })),
        ("s.inet_ntoa(b'\\x7f\\x00\\x00')", () => InetConversions.InetNtoa(new byte[] { 127, 0, 0 })),
        ("s.inet_ntoa(b'12345')", () => InetConversions.InetNtoa("12345"u8.ToArray())),
        ("s.inet_ntoa('abcd')", () => InetConversions.InetNtoa("abcd")),
        ("s.inet_ntoa(None)", () => InetConversions.InetNtoa(null)),
        ("s.inet_pton(s.AF_INET, '127.0.0.1')", () => InetConversions.InetPton(AF_INET, "127.0.0.1")),
        ("s.inet_pton(s.AF_INET, '127.1')", () => InetConversions.InetPton(AF_INET, "127.1")),
        ("s.inet_pton(s.AF_INET, '01.2.3.4')", () => InetConversions.InetPton(AF_INET, "01.2.3.4")),
        ("s.inet_pton(s.AF_INET, '0.0.0.0')", () => InetConversions.InetPton(AF_INET, "0.0.0.0")),
        ("s.inet_pton(s.AF_INET, '1.2.3.256')", () => InetConversions.InetPton(AF_INET, "1.2.3.256")),
        ("s.inet_pton(s.AF_INET, 'x')", () => InetConversions.InetPton(AF_INET, "x")),
        ("s.inet_pton(s.AF_INET6, '::1')", () => InetConversions.InetPton(AF_INET6, "::1")),
        ("s.inet_pton(s.AF_INET6, '::')", () => InetConversions.InetPton(AF_INET6, "::")),
        ("s.inet_pton(s.AF_INET6, '::ffff:1.2.3.4')", () => InetConversions.InetPton(AF_INET6, "::ffff:1.2.3.4")),
        ("s.inet_pton(s.AF_INET6, '::FFFF:1.2.3.4')", () => InetConversions.InetPton(AF_INET6, "::FFFF:1.2.3.4")),
        ("s.inet_pton(s.AF_INET6, '1:2:3:4:5:6:7::')", () => InetConversions.InetPton(AF_INET6, "1:2:3:4:5:6:7::")),
        ("s.inet_pton(s.AF_INET6, '1:2:3:4:5:6:1.2.3.4')", () => InetConversions.InetPton(AF_INET6, "1:2:3:4:5:6:1.2.3.4")),
        ("s.inet_pton(s.AF_INET6, '::1.2.3.4')", () => InetConversions.InetPton(AF_INET6, "::1.2.3.4")),
        ("s.inet_pton(s.AF_INET6, '2001:db8::1:0:0:1')", () => InetConversions.InetPton(AF_INET6, "2001:db8::1:0:0:1")),
        ("s.inet_pton(s.AF_INET6, 'fe80::1%lo')", () => InetConversions.InetPton(AF_INET6, "fe80::1%lo")),
        ("s.inet_pton(s.AF_INET6, '1:2:3:4:5:6:7:8:9')", () => InetConversions.InetPton(AF_INET6, "1:2:3:4:5:6:7:8:9")),
        ("s.inet_pton(s.AF_INET6, '1:2:3:4:5:6:7:8::')", () => InetConversions.InetPton(AF_INET6, "1:2:3:4:5:6:7:8::")),
        ("s.inet_pton(s.AF_INET6, '1::2::3')", () => InetConversions.InetPton(AF_INET6, "1::2::3")),
        ("s.inet_pton(s.AF_INET6, '00000::1')", () => InetConversions.InetPton(AF_INET6, "00000::1")),
        ("s.inet_pton(s.AF_INET6, '[::1]')", () => InetConversions.InetPton(AF_INET6, "[::1]")),
        ("s.inet_pton(s.AF_INET6, ':1::2')", () => InetConversions.InetPton(AF_INET6, ":1::2")),
        ("s.inet_pton(s.AF_INET6, '1::2:')", () => InetConversions.InetPton(AF_INET6, "1::2:")),
        ("s.inet_pton(s.AF_INET6, '::1.2.3')", () => InetConversions.InetPton(AF_INET6, "::1.2.3")),
        ("s.inet_pton(s.AF_INET6, '')", () => InetConversions.InetPton(AF_INET6, "")),
        ("s.inet_pton(s.AF_UNIX, 'x')", () => InetConversions.InetPton(AF_UNIX, "x")),
        ("s.inet_pton(99, 'x')", () => InetConversions.InetPton(99, "x")),
        ("s.inet_pton(s.AF_INET, b'1.2.3.4')", () => InetConversions.InetPton(AF_INET, "1.2.3.4"u8.ToArray())),
        ("s.inet_pton(s.AF_INET, '1.2.3.4\\x00')", () => InetConversions.InetPton(AF_INET, "1.2.3.4\0")),
        ("s.inet_ntop(s.AF_INET, b'\\x7f\\x00\\x00\\x01')", () => InetConversions.InetNtop(AF_INET, new byte[] { 127, 0, 0, 1 })),
        ("s.inet_ntop(s.AF_INET, b'\\x7f')", () => InetConversions.InetNtop(AF_INET, new byte[] { 127 })),
        ("s.inet_ntop(s.AF_INET6, bytes(16))", () => InetConversions.InetNtop(AF_INET6, new byte[16])),
        ("s.inet_ntop(s.AF_INET6, bytes(3))", () => InetConversions.InetNtop(AF_INET6, new byte[3])),
        ("s.inet_ntop(s.AF_UNIX, bytes(4))", () => InetConversions.InetNtop(AF_UNIX, new byte[4])),
        ("s.inet_ntop(99, bytes(4))", () => InetConversions.InetNtop(99, new byte[4])),
        ("s.inet_ntop(s.AF_INET, '1234')", () => InetConversions.InetNtop(AF_INET, "1234")),
        ("s.inet_ntop(s.AF_INET6, bytes.fromhex('00000000000000000000000000000001'))", () => InetConversions.InetNtop(AF_INET6, Hex("00000000000000000000000000000001"))),
        ("s.inet_ntop(s.AF_INET6, bytes.fromhex('00000000000000000000ffff01020304'))", () => InetConversions.InetNtop(AF_INET6, Hex("00000000000000000000ffff01020304"))),
        ("s.inet_ntop(s.AF_INET6, bytes.fromhex('00000000000000000000000001020304'))", () => InetConversions.InetNtop(AF_INET6, Hex("00000000000000000000000001020304"))),
        ("s.inet_ntop(s.AF_INET6, bytes.fromhex('00010000000000000000000000000000'))", () => InetConversions.InetNtop(AF_INET6, Hex("00010000000000000000000000000000"))),
        ("s.inet_ntop(s.AF_INET6, bytes.fromhex('20010db8000000010000000000000001'))", () => InetConversions.InetNtop(AF_INET6, Hex("20010db8000000010000000000000001"))),
        ("s.inet_ntop(s.AF_INET6, bytes.fromhex('20010db8000000000001000000000001'))", () => InetConversions.InetNtop(AF_INET6, Hex("20010db8000000000001000000000001"))),
        ("s.inet_ntop(s.AF_INET6, bytes.fromhex('20010db8000100010001000100010001'))", () => InetConversions.InetNtop(AF_INET6, Hex("20010db8000100010001000100010001"))),
        ("s.inet_ntop(s.AF_INET6, bytes.fromhex('00000000000000000000ffff00000000'))", () => InetConversions.InetNtop(AF_INET6, Hex("00000000000000000000ffff00000000"))),
        ("s.inet_ntop(s.AF_INET6, bytes.fromhex('0000000000000000000000000000ffff'))", () => InetConversions.InetNtop(AF_INET6, Hex("0000000000000000000000000000ffff"))),
        ("s.inet_ntop(s.AF_INET6, bytes.fromhex('ABCD00000000ef0000000000000000ff'))", () => InetConversions.InetNtop(AF_INET6, Hex("ABCD00000000ef0000000000000000ff"))),
        ("s.inet_ntop(s.AF_INET6, bytes.fromhex('00010000000100000000000100000001'))", () => InetConversions.InetNtop(AF_INET6, Hex("00010000000100000000000100000001"))),
        ("s.inet_ntop(s.AF_INET6, bytes.fromhex('fe800000000000000000000000000001'))", () => InetConversions.InetNtop(AF_INET6, Hex("fe800000000000000000000000000001"))),
    ];

    static readonly Lazy<Dictionary<string, string>> Expected = Parity.Expected(Cases);

    public static TheoryData<string> Names => Parity.Names(Cases);

    [Theory, MemberData(nameof(Names))]
    public void MatchesCPython(string py) => Parity.Check(Cases, Expected, py);
}
