using Netty.PySocket.Net;

namespace Netty.PySocket.Tests.Net;

public class HostNamesTests
{
    static readonly (string Py, Func<object?> Net)[] Cases =
    [
        ("s.gethostname()", () => HostNames.GetHostName()),
        ("s.gethostbyname('localhost')", () => HostNames.GetHostByName("localhost")),
        ("s.gethostbyname(b'localhost')", () => HostNames.GetHostByName("localhost"u8.ToArray())),
        ("s.gethostbyname('127.0.0.1')", () => HostNames.GetHostByName("127.0.0.1")),
        ("s.gethostbyname('127.1')", () => HostNames.GetHostByName("127.1")),
        ("s.gethostbyname('')", () => HostNames.GetHostByName("")),
        ("s.gethostbyname('<broadcast>')", () => HostNames.GetHostByName("<broadcast>")),
        ("s.gethostbyname('255.255.255.255')", () => HostNames.GetHostByName("255.255.255.255")),
        ("s.gethostbyname(s.gethostname())", () => HostNames.GetHostByName(HostNames.GetHostName())),
        ("s.gethostbyname('::1')", () => HostNames.GetHostByName("::1")),
        ("s.gethostbyname('nonexistent.invalid')", () => HostNames.GetHostByName("nonexistent.invalid")),
        ("s.gethostbyname(1)", () => HostNames.GetHostByName(1)),
        ("s.gethostbyname(None)", () => HostNames.GetHostByName(null)),
        ("s.gethostbyname('a\\x00')", () => HostNames.GetHostByName("a\0")),
        ("s.gethostbyname_ex('localhost')", () => HostNames.GetHostByNameEx("localhost")),
        ("s.gethostbyname_ex('LocalHost')", () => HostNames.GetHostByNameEx("LocalHost")),
        ("s.gethostbyname_ex('127.0.0.1')", () => HostNames.GetHostByNameEx("127.0.0.1")),
        ("s.gethostbyname_ex('127.1')", () => HostNames.GetHostByNameEx("127.1")),
        ("s.gethostbyname_ex('255.255.255.255')", () => HostNames.GetHostByNameEx("255.255.255.255")),
        ("s.gethostbyname_ex('0x7f.1')", () => HostNames.GetHostByNameEx("0x7f.1")),
        ("s.gethostbyname_ex('::1')", () => HostNames.GetHostByNameEx("::1")),
        ("s.gethostbyname_ex('')", () => HostNames.GetHostByNameEx("")),
        ("s.gethostbyname_ex('nonexistent.invalid')", () => HostNames.GetHostByNameEx("nonexistent.invalid")),
        ("s.gethostbyname_ex(None)", () => HostNames.GetHostByNameEx(null)),
        ("s.gethostbyaddr('127.0.0.1')", () => HostNames.GetHostByAddr("127.0.0.1")),
        ("s.gethostbyaddr('127.1')", () => HostNames.GetHostByAddr("127.1")),
        ("s.gethostbyaddr('localhost')", () => HostNames.GetHostByAddr("localhost")),
        ("s.gethostbyaddr(b'127.0.0.1')", () => HostNames.GetHostByAddr("127.0.0.1"u8.ToArray())),
        ("s.gethostbyaddr('::1')", () => HostNames.GetHostByAddr("::1")),
        ("s.gethostbyaddr('127.0.0.2')", () => HostNames.GetHostByAddr("127.0.0.2")),
        ("s.gethostbyaddr('fe80::1%lo')", () => HostNames.GetHostByAddr("fe80::1%lo")),
        ("s.gethostbyaddr('::ffff:127.0.0.1')", () => HostNames.GetHostByAddr("::ffff:127.0.0.1")),
        ("s.gethostbyaddr('<broadcast>')", () => HostNames.GetHostByAddr("<broadcast>")),
        ("s.gethostbyaddr('')", () => HostNames.GetHostByAddr("")),
        ("s.gethostbyaddr('nonexistent.invalid')", () => HostNames.GetHostByAddr("nonexistent.invalid")),
        ("s.gethostbyaddr(5)", () => HostNames.GetHostByAddr(5)),
    ];

    static readonly Lazy<Dictionary<string, string>> Expected = Parity.Expected(Cases);

    public static TheoryData<string> Names => Parity.Names(Cases);

    [Theory, MemberData(nameof(Names))]
    public void MatchesCPython(string py) => Parity.Check(Cases, Expected, py);

    // CPython's gethostbyname_ex raises herror(h_errno) from the thread-global h_errno, not glibc's errnop result,
    // so for these names the code depends on earlier lookups in the same thread (seen: 0, 1 and 3). Only the class
    // is stable; the library reports HOST_NOT_FOUND (1), what glibc's errnop says.
    [Theory]
    [InlineData("<broadcast>")]
    [InlineData("::ffff:127.0.0.1")]
    public void GetHostByNameExHerrorWithStaleCodeInCPython(string name)
    {
        var e = Assert.Throws<Netty.PySocket.Errors.PySocketException>(() => HostNames.GetHostByNameEx(name));
        Assert.Equal("herror", e.PythonTypeName);
        Assert.Equal(1, e.Errno);
        Assert.Equal("Unknown host", e.Message);
        Assert.Equal("!! herror", CPythonOracle.Evaluate([$"s.gethostbyname_ex('{name}')"]).Single().Value[..9]);
    }
}
