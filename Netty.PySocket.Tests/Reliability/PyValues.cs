using System.Globalization;
using System.Numerics;
using CsCheck;
using Netty.PySocket.Tests.Net;

namespace Netty.PySocket.Tests.Reliability;

/// <summary>A Python <c>object()</c>: a value of a type no API accepts.</summary>
internal sealed class PyPlainObject
{
    public override string ToString() => "object()";
}

/// <summary>
/// Generators of the values a Python caller can pass where the API takes <c>object</c> (ints of every size, floats
/// including NaN/inf, str, bytes, None, bools, tuples, plain objects) and their Python literal, so a sampled case can
/// be replayed on CPython. Strings stay ASCII and name no host that needs DNS (no network on CI).
/// </summary>
internal static class PyValues
{
    public static readonly BigInteger Huge = BigInteger.One << 70;

    static readonly object?[] Specials =
    [
        null, true, false, 0, 1, -1, 80, 65535, 65536, int.MaxValue, int.MinValue, long.MaxValue, long.MinValue, Huge, -Huge,
        0.0, 1.5, -1.5, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e300,
        "", "127.0.0.1", "::1", "localhost", "0.0.0.0", "256.0.0.1", "1.2.3", "<broadcast>", "x\0y", "80",
        "::ffff:127.0.0.1", "::", "1.2.3.4", "127.0.0.1%lo", "0x7f.1",
        "127.0.0.1"u8.ToArray(), Array.Empty<byte>(), new PyPlainObject(),
    ];

    public static readonly string[] Hosts = ["127.0.0.1", "::1", "localhost", "", "0.0.0.0", "::", "256.0.0.1", "<broadcast>", "x\0y", "1.2.3", "::ffff:127.0.0.1"];

    /// <summary>Any scalar value.</summary>
    public static readonly Gen<object?> Scalar = Gen.Frequency<object?>(
        (6, Gen.OneOf(Specials)),
        (2, Gen.Int[-70000, 70000].Select(i => (object?)i)),
        (1, Gen.Double.Select(d => (object?)d)),
        (1, Gen.Byte.Array[0, 8].Select(b => (object?)b)));

    static readonly Gen<object?> Port = Gen.Frequency<object?>(
        (4, Gen.OneOf<object?>(0, -1, 65535, 65536, Huge, "80", null, 1.5, true, int.MinValue)),
        (1, Scalar));

    /// <summary>An address-shaped tuple: (host, port) or (host, port, flowinfo, scope_id) with odd parts.</summary>
    public static readonly Gen<object?> Address = Gen.OneOf(
        Gen.Select(Gen.OneOf(Hosts).Select(h => (object?)h), Port, (h, p) => (object?)new object?[] { h, p }),
        Gen.Select(Gen.OneOf(Hosts).Select(h => (object?)h), Port, Scalar, Scalar, (h, p, f, s) => (object?)new object?[] { h, p, f, s }));

    /// <summary>Any value: scalars, tuples of 0-4 scalars, address-shaped tuples.</summary>
    public static readonly Gen<object?> Any = Gen.Frequency<object?>(
        (5, Scalar),
        (2, Scalar.Array[0, 4].Select(a => (object?)a)),
        (4, Address));

    /// <summary>Timeouts that never ask for a long wait (a blocking select with nothing to wait for would never end).</summary>
    public static readonly Gen<object?> ShortTimeout = Gen.OneOf<object?>(
        0, 0.0, 0.001, -1, -0.5, double.NaN, "1", new object?[] { 1 }, Huge, -Huge, true, Array.Empty<byte>(), new PyPlainObject());

    /// <summary>Short timeouts for poll/epoll, where a negative one means "wait for ever".</summary>
    public static readonly Gen<object?> ShortPollTimeout = Gen.OneOf<object?>(
        0, 0.0, 0.001, double.NaN, "1", new object?[] { 1 }, Huge, -Huge, true, Array.Empty<byte>(), new PyPlainObject());

    /// <summary>Python source for <paramref name="v"/>.</summary>
    public static string Literal(object? v) => v switch
    {
        double d when double.IsNaN(d) => "float('nan')",
        double d when double.IsPositiveInfinity(d) => "float('inf')",
        double d when double.IsNegativeInfinity(d) => "float('-inf')",
        double d => FloatLiteral(d),
        PyPlainObject => "object()",
        object?[] t => t.Length == 1 ? $"({Literal(t[0])},)" : "(" + string.Join(", ", t.Select(Literal)) + ")",
        _ => CPythonOracle.Repr(v),
    };

    static string FloatLiteral(double d)
    {
        string s = d.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.') || s.Contains('E') ? s : s + ".0";
    }
}
