using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Netty.PySocket.Errors;

namespace Netty.PySocket.Socket;

/// <summary>
/// getsockopt/setsockopt with Linux numbers, straight to the kernel (stream and datagram sockets alike), so values
/// and errors are the kernel's, as in CPython. Called through libc rather than System.Net, which folds errnos such as
/// EPERM, ENOENT or EPROTO into a few SocketError values.
/// </summary>
internal static class KernelOptions
{
    /// <summary>An int (no buflen) or up to <paramref name="buflen"/> bytes, as CPython's getsockopt returns them.</summary>
    public static unsafe object Get(System.Net.Sockets.Socket raw, int level, int name, int buflen)
    {
        // CPython: buflen 0 is the int form; outside 1-1024 an OSError without errno.
        if (buflen < 0 || buflen > 1024) throw PySocketException.OSErrorMessage("getsockopt buflen out of range");
        byte[] value = new byte[buflen == 0 ? 4 : buflen];
        int length = value.Length;
        SafeSocketHandle handle = Open(raw);
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            fixed (byte* p = value)
            {
                if (LibC.GetSockOpt((int)handle.DangerousGetHandle(), level, name, p, &length) != 0) throw LastError();
            }
        }
        catch (ObjectDisposedException)
        {
            throw PySocketException.OSError(Errno.EBADF);
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
        if (buflen == 0) return BinaryPrimitives.ReadInt32LittleEndian(value);
        return length == value.Length ? value : value[..length];
    }

    /// <summary>The bytes as given (an int arrives packed as a C int).</summary>
    public static unsafe void Set(System.Net.Sockets.Socket raw, int level, int name, ReadOnlySpan<byte> value)
    {
        // An empty value still passes a valid pointer, as CPython does (the kernel then says EINVAL, not EFAULT).
        byte none = 0;
        SafeSocketHandle handle = Open(raw);
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            fixed (byte* p = value)
            {
                byte* arg = value.IsEmpty ? &none : p;
                if (LibC.SetSockOpt((int)handle.DangerousGetHandle(), level, name, arg, value.Length) != 0) throw LastError();
            }
        }
        catch (ObjectDisposedException)
        {
            throw PySocketException.OSError(Errno.EBADF);
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    static SafeSocketHandle Open(System.Net.Sockets.Socket raw)
    {
        try
        {
            return raw.SafeHandle;
        }
        catch (ObjectDisposedException)
        {
            throw PySocketException.OSError(Errno.EBADF);
        }
    }

    static PySocketException LastError() => PySocketException.OSError(Marshal.GetLastPInvokeError());
}
