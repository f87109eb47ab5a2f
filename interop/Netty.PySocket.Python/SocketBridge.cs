using Netty.PySocket.Socket;
using Python.Runtime;

namespace Netty.PySocket.Python;

/// <summary>
/// The byte-moving calls of the Python binding that stay on pythonnet (the hot ones, send/sendall/recv/recv_into,
/// take the native path: <see cref="NativeEntryPoints"/>). pythonnet converts a Python <c>bytes</c> passed to a <c>byte[]</c>
/// parameter element by element (~27 ms per 64 KiB); these methods instead take the Python object and use its buffer
/// protocol (~40 us per 64 KiB): the buffer is acquired and released under the GIL, and the GIL is NOT held during
/// the (possibly blocking) socket call, which works on a span over the exported memory. The exporter cannot resize
/// or free that memory while the buffer is held (PEP 3118), so the span stays valid without the GIL.
/// pythonnet calls these with the GIL released; each method takes it only around C API use.
/// </summary>
public static class SocketBridge
{
    /// <summary><c>socket.sendto(data, flags, address)</c>; <paramref name="address"/> as the binding's _address builds it.</summary>
    public static unsafe int SendTo(SocketObject socket, PyObject data, int flags, object? address)
    {
        PyBuffer view = Acquire(data, writable: false);
        try
        {
            return socket.SendTo(new ReadOnlySpan<byte>((void*)view.Buffer, checked((int)view.Length)), flags, address);
        }
        finally
        {
            Release(view, data);
        }
    }

    /// <summary><c>socket.recvfrom_into(buffer, nbytes, flags)</c>: { nbytes, address or null }.</summary>
    public static unsafe object?[] RecvFromInto(SocketObject socket, PyObject buffer, int nbytes, int flags)
    {
        PyBuffer view = Acquire(buffer, writable: true);
        try
        {
            int length = checked((int)view.Length);
            return socket.RecvFromInto(new Span<byte>((void*)view.Buffer, length), nbytes, flags);
        }
        finally
        {
            Release(view, buffer);
        }
    }

    internal static PyBuffer Acquire(PyObject obj, bool writable)
    {
        using (Py.GIL())
        {
            // PyBUF_SIMPLE (contiguous bytes) like CPython's "y*"/"w*" argument formats; raises
            // TypeError "a bytes-like object is required, not 'str'" exactly as CPython does.
            return obj.GetBuffer(writable ? PyBUF.WRITABLE : PyBUF.SIMPLE);
        }
    }

    internal static void Release(PyBuffer view, PyObject obj)
    {
        using (Py.GIL())
        {
            view.Dispose();
            obj.Dispose();
        }
    }
}
