using System.Text;
using Netty.PySocket.Errors;
using static Netty.PySocket.Net.SocketConstants;

namespace Netty.PySocket.Net;

/// <summary>
/// CPython's getsockaddrarg / makesockaddr for AF_UNIX on Linux, as raw <c>sockaddr_un</c> bytes: the kernel gets
/// exactly the bytes Python gave (no .NET endpoint, whose path encoding is lossy and whose Dispose deletes the
/// socket file, unlike close(2)). A filesystem name reads back as a str, an abstract name (leading NUL) as bytes.
/// </summary>
internal static class UnixAddress
{
    /// <summary>offsetof(struct sockaddr_un, sun_path).</summary>
    public const int PathOffset = 2;

    /// <summary>sizeof(sun_path) on Linux.</summary>
    public const int PathCapacity = 108;

    /// <summary>sizeof(struct sockaddr_un).</summary>
    public const int Size = PathOffset + PathCapacity;

    /// <summary>
    /// A str (encoded as UTF-8, the file system encoding of the runtime) or bytes path as a sockaddr_un of the
    /// length CPython passes: the path plus a terminating NUL for a filesystem name, the exact bytes for an
    /// abstract one (leading NUL).
    /// </summary>
    public static byte[] Parse(object? address)
    {
        byte[] path = address switch
        {
            byte[] b => b,
            string s => Encoding.UTF8.GetBytes(s),
            _ => throw PySocketException.TypeError($"a bytes-like object is required, not '{SockAddr.PyTypeName(address)}'"),
        };
        bool isAbstract = path.Length > 0 && path[0] == 0;
        if (isAbstract ? path.Length > PathCapacity : path.Length >= PathCapacity)
            throw PySocketException.OSErrorMessage("AF_UNIX path too long");
        // CPython passes path length + offset; the NUL after a filesystem name lies beyond that length.
        byte[] sa = new byte[PathOffset + path.Length];
        sa[0] = AF_UNIX; // sun_family, little-endian unsigned short
        path.CopyTo(sa, PathOffset);
        return sa;
    }

    /// <summary>
    /// makesockaddr for a sockaddr_un (as long as the kernel said): abstract names as bytes, filesystem names
    /// (up to the first NUL) as a str, or as bytes when they are not valid UTF-8 (the binding decodes those with
    /// surrogateescape, as os.fsdecode). An unnamed socket gives "".
    /// </summary>
    public static object ToName(ReadOnlySpan<byte> sockaddr)
    {
        ReadOnlySpan<byte> path = sockaddr.Length > PathOffset ? sockaddr[PathOffset..] : [];
        if (path.Length > 0 && path[0] == 0) return path.ToArray();
        int end = path.IndexOf((byte)0);
        if (end >= 0) path = path[..end];
        try
        {
            return StrictUtf8.GetString(path);
        }
        catch (DecoderFallbackException)
        {
            return path.ToArray();
        }
    }

    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
