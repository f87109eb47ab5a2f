using System.Buffers.Binary;
using Netty.PySocket.Errors;

namespace Netty.PySocket.Net;

/// <summary><c>socket.htons</c>, <c>ntohs</c>, <c>htonl</c>, <c>ntohl</c> with CPython 3.11's argument errors.</summary>
public static class ByteOrder
{
    /// <summary><c>socket.htons(x)</c>.</summary>
    public static int Htons(object? x) => Swap16(x, "htons");

    /// <summary><c>socket.ntohs(x)</c>.</summary>
    public static int Ntohs(object? x) => Swap16(x, "ntohs");

    /// <summary><c>socket.htonl(x)</c>.</summary>
    public static long Htonl(object? x) => Swap32(x);

    /// <summary><c>socket.ntohl(x)</c>.</summary>
    public static long Ntohl(object? x) => Swap32(x);

    static int Swap16(object? x, string func)
    {
        long v = PyArgs.AsCLong(x);
        if (v < 0) throw PySocketException.Overflow($"{func}: can't convert negative Python int to C 16-bit unsigned integer");
        if (v > 0xffff) throw PySocketException.Overflow($"{func}: Python int too large to convert to C 16-bit unsigned integer");
        return BinaryPrimitives.ReverseEndianness((ushort)v);
    }

    static long Swap32(object? x)
    {
        if (!PyArgs.TryInt(x, out var v)) throw PySocketException.TypeError($"expected int, {SockAddr.PyTypeName(x)} found");
        if (v < 0) throw PySocketException.Overflow("can't convert negative value to unsigned int");
        if (v > ulong.MaxValue) throw PySocketException.Overflow("Python int too large to convert to C unsigned long");
        if (v > uint.MaxValue) throw PySocketException.Overflow("int larger than 32 bits");
        return BinaryPrimitives.ReverseEndianness((uint)v);
    }
}
