using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using Netty.PySocket.Errors;

namespace Netty.PySocket.Net;

/// <summary>
/// Argument conversion the way CPython's getargs.c and the socket module's converters do it, so type and range
/// errors carry CPython's exact messages.
/// </summary>
internal static class PyArgs
{
    /// <summary>A Python int (bool included, as in Python) as a BigInteger; false for any other value.</summary>
    public static bool TryInt(object? v, out BigInteger value)
    {
        switch (v)
        {
            case bool b: value = b ? 1 : 0; return true;
            case int i: value = i; return true;
            case long l: value = l; return true;
            case BigInteger bi: value = bi; return true;
            case short s: value = s; return true;
            case sbyte sb: value = sb; return true;
            case byte by: value = by; return true;
            case ushort us: value = us; return true;
            case uint ui: value = ui; return true;
            case ulong ul: value = ul; return true;
            default: value = default; return false;
        }
    }

    /// <summary>The TypeError CPython raises when a non-int is used where <c>__index__</c> is needed.</summary>
    public static PySocketException NotAnInteger(object? v) =>
        PySocketException.TypeError($"'{SockAddr.PyTypeName(v)}' object cannot be interpreted as an integer");

    /// <summary>An int argument as a C long (PyLong_AsLong).</summary>
    public static long AsCLong(object? v)
    {
        if (!TryInt(v, out var bi)) throw NotAnInteger(v);
        if (bi < long.MinValue || bi > long.MaxValue)
            throw PySocketException.Overflow("Python int too large to convert to C long");
        return (long)bi;
    }

    /// <summary>getargs "i": a C int, with getargs' overflow messages.</summary>
    public static int AsCInt(object? v)
    {
        long l = AsCLong(v);
        if (l > int.MaxValue) throw PySocketException.Overflow("signed integer is greater than maximum");
        if (l < int.MinValue) throw PySocketException.Overflow("signed integer is less than minimum");
        return (int)l;
    }

    /// <summary>getargs "I": an unsigned int with no overflow check (PyLong_AsUnsignedLongMask).</summary>
    public static uint AsUIntMask(object? v)
    {
        if (!TryInt(v, out var bi)) throw NotAnInteger(v);
        return (uint)(bi & uint.MaxValue);
    }

    /// <summary>A Python tuple's items: object?[] or any ITuple.</summary>
    public static bool TryTuple(object? v, out object?[] items)
    {
        switch (v)
        {
            case object?[] arr: items = arr; return true;
            case ITuple t:
                items = new object?[t.Length];
                for (int i = 0; i < t.Length; i++) items[i] = t[i];
                return true;
            default: items = []; return false;
        }
    }

    /// <summary>
    /// The socket module's idna_converter: str (IDNA-encoded when not ASCII) or bytes, without NUL, as the C string
    /// handed to the resolver.
    /// </summary>
    public static string HostArg(object? v)
    {
        string host = v switch
        {
            string s => s,
            byte[] b => Encoding.Latin1.GetString(b),
            _ => throw PySocketException.TypeError($"str, bytes or bytearray expected, not {SockAddr.PyTypeName(v)}"),
        };
        if (host.Contains('\0')) throw PySocketException.TypeError("host name must not contain null character");
        return v is string ? Idna(host) : host;
    }

    /// <summary>
    /// The "et" converter with the idna codec (gethostbyname and co.): str or bytes, named errors for anything else.
    /// </summary>
    public static string EncodedStringArg(object? v, string func)
    {
        string host = v switch
        {
            string s => Idna(s),
            byte[] b => Encoding.Latin1.GetString(b),
            _ => throw PySocketException.TypeError(
                $"{func}() argument 1 must be str, bytes or bytearray, not {NoneOrType(v)}"),
        };
        if (host.Contains('\0'))
            throw PySocketException.TypeError(
                $"{func}() argument 1 must be encoded string without null bytes, not {SockAddr.PyTypeName(v)}");
        return host;
    }

    /// <summary>The getargs "s" converter for a required str argument.</summary>
    public static string StrArg(object? v, string func, int position)
    {
        if (v is not string s)
            throw PySocketException.TypeError($"{func}() argument {position} must be str, not {NoneOrType(v)}");
        if (s.Contains('\0')) throw PySocketException.ValueError("embedded null character");
        return s;
    }

    /// <summary>getargs names None as "None", not "NoneType", in "must be X, not Y" messages.</summary>
    public static string NoneOrType(object? v) => v is null ? "None" : SockAddr.PyTypeName(v);

    /// <summary>A str host as getaddrinfo() encodes it (IDNA), NULs left for the caller to cut at.</summary>
    public static string HostArgNoNulCheck(string s) => Idna(s);

    /// <summary>A Python str as the bytes CPython hands to C: IDNA (ASCII-compatible encoding) for non-ASCII text.</summary>
    static string Idna(string s)
    {
        if (Ascii.IsValid(s)) return s;
        try
        {
            return new IdnMapping().GetAscii(s);
        }
        catch (ArgumentException)
        {
            // Python's codec raises UnicodeError (a ValueError); the library has no UnicodeError kind.
            throw PySocketException.ValueError("encoding with 'idna' codec failed (UnicodeError: label empty or too long)");
        }
    }

    /// <summary>A list-like check for type naming.</summary>
    public static bool IsList(object? v) => v is IList && v is not Array;
}
