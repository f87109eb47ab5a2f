using System.Buffers.Binary;
using Netty.PySocket.Errors;

namespace Netty.PySocket.Socket;

/// <summary>
/// getsockopt/setsockopt with Linux numbers, straight to the kernel (stream and datagram sockets alike), so values
/// and errors (ENOPROTOOPT, EINVAL) are the kernel's, as in CPython.
/// </summary>
internal static class KernelOptions
{
    /// <summary>An int (no buflen) or up to <paramref name="buflen"/> bytes, as CPython's getsockopt returns them.</summary>
    public static object Get(System.Net.Sockets.Socket raw, int level, int name, int buflen)
    {
        if (buflen < 0 || buflen > 1024) throw PySocketException.OSError(Errno.EINVAL, "getsockopt buflen out of range");
        byte[] value = new byte[buflen == 0 ? 4 : buflen];
        int length;
        try
        {
            length = raw.GetRawSocketOption(level, name, value);
        }
        catch (Exception ex)
        {
            throw ErrorTable.Translate(ex);
        }
        if (buflen == 0) return BinaryPrimitives.ReadInt32LittleEndian(value);
        return length == value.Length ? value : value[..length];
    }

    /// <summary>The bytes as given (an int arrives packed as a C int).</summary>
    public static void Set(System.Net.Sockets.Socket raw, int level, int name, ReadOnlySpan<byte> value)
    {
        try
        {
            raw.SetRawSocketOption(level, name, value);
        }
        catch (Exception ex)
        {
            throw ErrorTable.Translate(ex);
        }
    }
}
