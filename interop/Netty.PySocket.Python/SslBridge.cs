using Netty.PySocket.Ssl;
using Python.Runtime;

namespace Netty.PySocket.Python;

/// <summary>
/// Byte-moving calls of the <c>_ssl</c> binding, with the same buffer rules as <see cref="SocketBridge"/>: the Python
/// object's buffer is acquired and released under the GIL, the (possibly blocking) TLS call runs without it.
/// </summary>
public static class SslBridge
{
    /// <summary><c>_SSLSocket.write(data)</c> for any bytes-like <paramref name="data"/>.</summary>
    public static unsafe int Write(SslSocket socket, PyObject data)
    {
        PyBuffer view = SocketBridge.Acquire(data, writable: false);
        try
        {
            return socket.Write(new ReadOnlySpan<byte>((void*)view.Buffer, checked((int)view.Length)));
        }
        finally
        {
            SocketBridge.Release(view, data);
        }
    }

    /// <summary>
    /// <c>_SSLSocket.write(data)</c> on a blocking or timeout socket: OpenSSL (without partial-write mode, as CPython
    /// sets it up) writes all of it before returning, so this is sendall; returns the length.
    /// </summary>
    public static unsafe int WriteAll(SslSocket socket, PyObject data)
    {
        PyBuffer view = SocketBridge.Acquire(data, writable: false);
        try
        {
            int length = checked((int)view.Length);
            socket.SendAll(new ReadOnlySpan<byte>((void*)view.Buffer, length));
            return length;
        }
        finally
        {
            SocketBridge.Release(view, data);
        }
    }

    /// <summary><c>_SSLSocket.read(len, buffer)</c>: reads at most <paramref name="len"/> bytes into the writable buffer.</summary>
    public static unsafe int ReadInto(SslSocket socket, PyObject buffer, int len)
    {
        PyBuffer view = SocketBridge.Acquire(buffer, writable: true);
        try
        {
            int length = checked((int)view.Length);
            if (len <= 0 || len > length) len = length;
            return socket.ReadInto(new Span<byte>((void*)view.Buffer, len));
        }
        finally
        {
            SocketBridge.Release(view, buffer);
        }
    }

    /// <summary><c>SSLObject.write(data)</c>.</summary>
    public static unsafe int ObjectWrite(SslObject obj, PyObject data)
    {
        PyBuffer view = SocketBridge.Acquire(data, writable: false);
        try
        {
            return obj.Write(new ReadOnlySpan<byte>((void*)view.Buffer, checked((int)view.Length)));
        }
        finally
        {
            SocketBridge.Release(view, data);
        }
    }

    /// <summary><c>SSLObject.read(len, buffer)</c>.</summary>
    public static unsafe int ObjectReadInto(SslObject obj, PyObject buffer, int len)
    {
        PyBuffer view = SocketBridge.Acquire(buffer, writable: true);
        try
        {
            int length = checked((int)view.Length);
            if (len <= 0 || len > length) len = length;
            return obj.ReadInto(new Span<byte>((void*)view.Buffer, len));
        }
        finally
        {
            SocketBridge.Release(view, buffer);
        }
    }

    /// <summary><c>MemoryBIO.write(data)</c>.</summary>
    public static unsafe int BioWrite(MemoryBio bio, PyObject data)
    {
        PyBuffer view = SocketBridge.Acquire(data, writable: false);
        try
        {
            return bio.Write(new ReadOnlySpan<byte>((void*)view.Buffer, checked((int)view.Length)));
        }
        finally
        {
            SocketBridge.Release(view, data);
        }
    }
}
