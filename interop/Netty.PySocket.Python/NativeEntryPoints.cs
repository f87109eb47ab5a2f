using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Netty.PySocket.Errors;
using Netty.PySocket.Select;
using Netty.PySocket.Socket;

namespace Netty.PySocket.Python;

/// <summary>
/// The binding's per-call path for the hot socket calls: plain C entry points the Python side calls through ctypes
/// function pointers (~1 us a call, against ~5 us for a pythonnet call plus its GIL release/reacquire). ctypes
/// (<c>CFUNCTYPE</c>) releases the GIL around every call, so these may block; they never touch the Python C API.
/// The socket travels as a <see cref="GCHandle"/> the Python socket object holds for its whole life; data travels
/// as a pointer into a Python buffer the caller holds exported for the duration of the call (PEP 3118: it cannot
/// move or be resized meanwhile).
/// Result: &gt;= 0 is the call's value. Errors come back as codes (see design/interop.md, "The native call path"):
/// <see cref="TimedOut"/>, <see cref="OsErrorBase"/> - errno for an OSError carrying the standard message, and
/// <see cref="Pending"/> for anything else (a message of its own, another kind, the signal hook's Python exception):
/// the exception is kept for this thread and <see cref="RaisePending"/>, called through pythonnet on the same thread,
/// throws it, so it reaches Python exactly as on the pythonnet path.
/// </summary>
public static unsafe class NativeEntryPoints
{
    /// <summary>The exception is kept for this thread: call <see cref="RaisePending"/>.</summary>
    public const long Pending = -1;

    /// <summary><c>socket.timeout("timed out")</c>.</summary>
    public const long TimedOut = -2;

    /// <summary>Codes at or below this are <c>OSError(errno, os.strerror(errno))</c> with errno = base - code.</summary>
    public const long OsErrorBase = -1000;

    [ThreadStatic]
    static Exception? pending;

    /// <summary>
    /// The entry points, in this order: send, sendall, recv_into, select, fileno. Python casts each to its ctypes prototype
    /// (design/interop.md lists the signatures).
    /// </summary>
    public static long[] Table() =>
    [
        (long)(nint)(delegate* unmanaged<nint, byte*, long, int, long>)&Send,
        (long)(nint)(delegate* unmanaged<nint, byte*, long, int, long>)&SendAll,
        (long)(nint)(delegate* unmanaged<nint, byte*, long, int, int, long>)&RecvInto,
        (long)(nint)(delegate* unmanaged<int*, int, int, int, int, double, long, int*, long>)&Select,
        (long)(nint)(delegate* unmanaged<nint, long>)&Fileno,
    ];

    /// <summary>A handle for <paramref name="socket"/>, valid until <see cref="FreeHandle"/>.</summary>
    public static long NewHandle(SocketObject socket) => GCHandle.ToIntPtr(GCHandle.Alloc(socket));

    /// <summary>Frees a handle from <see cref="NewHandle"/>; the Python socket does it once, when it is finalized.</summary>
    public static void FreeHandle(long handle) => GCHandle.FromIntPtr((nint)handle).Free();

    /// <summary>Throws the exception an entry point kept for this thread (returned <see cref="Pending"/>).</summary>
    public static void RaisePending()
    {
        Exception? ex = pending;
        pending = null;
        if (ex is null) throw new InvalidOperationException("no pending error on this thread");
        ExceptionDispatchInfo.Throw(ex);
    }

    /// <summary>The library's message for an errno: what the Python side pairs with an <see cref="OsErrorBase"/> code.</summary>
    public static string StrError(int errno) => Errno.StrError(errno);

    [UnmanagedCallersOnly]
    static long Send(nint handle, byte* data, long length, int flags)
    {
        try
        {
            return SocketOf(handle).Send(new ReadOnlySpan<byte>(data, checked((int)length)), flags);
        }
        catch (Exception ex)
        {
            return Fail(ex);
        }
    }

    [UnmanagedCallersOnly]
    static long SendAll(nint handle, byte* data, long length, int flags)
    {
        try
        {
            SocketOf(handle).SendAll(new ReadOnlySpan<byte>(data, checked((int)length)), flags);
            return 0;
        }
        catch (Exception ex)
        {
            return Fail(ex);
        }
    }

    /// <summary>recv and recv_into: the Python side checked <paramref name="nbytes"/> against the buffer already.</summary>
    [UnmanagedCallersOnly]
    static long RecvInto(nint handle, byte* buffer, long length, int nbytes, int flags)
    {
        try
        {
            return SocketOf(handle).RecvInto(new Span<byte>(buffer, checked((int)length)), nbytes, flags);
        }
        catch (Exception ex)
        {
            return Fail(ex);
        }
    }

    /// <summary>
    /// select over <paramref name="fds"/> = the read, write and except lists one after the other. Timeout:
    /// <paramref name="timeoutKind"/> 0 = None, 1 = <paramref name="seconds"/>, 2 = <paramref name="wholeSeconds"/>
    /// (Python ints keep their exact value). <paramref name="ready"/> receives the three ready counts, then the
    /// ready positions of each list in input order.
    /// </summary>
    [UnmanagedCallersOnly]
    static long Select(int* fds, int nr, int nw, int nx, int timeoutKind, double seconds, long wholeSeconds, int* ready)
    {
        try
        {
            object? timeout = timeoutKind switch
            {
                1 => seconds,
                2 => wholeSeconds,
                _ => null,
            };
            SelectIndices result = SelectModule.SelectFds(
                new ReadOnlySpan<int>(fds, nr).ToArray(),
                new ReadOnlySpan<int>(fds + nr, nw).ToArray(),
                new ReadOnlySpan<int>(fds + nr + nw, nx).ToArray(),
                timeout);
            ready[0] = result.Readable.Length;
            ready[1] = result.Writable.Length;
            ready[2] = result.Exceptional.Length;
            int at = 3;
            foreach (int[] list in (ReadOnlySpan<int[]>)[result.Readable, result.Writable, result.Exceptional])
            {
                list.CopyTo(new Span<int>(ready + at, list.Length));
                at += list.Length;
            }
            return at - 3;
        }
        catch (Exception ex)
        {
            return Fail(ex);
        }
    }

    /// <summary>The socket's descriptor, -1 once closed or detached (never fails).</summary>
    [UnmanagedCallersOnly]
    static long Fileno(nint handle) => SocketOf(handle).Fileno();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static SocketObject SocketOf(nint handle) => (SocketObject)GCHandle.FromIntPtr(handle).Target!;

    static long Fail(Exception ex)
    {
        if (ex is PySocketException p)
        {
            if (p.Kind == PyErrorKind.Timeout && p.Message == "timed out") return TimedOut;
            if (p.Kind == PyErrorKind.OSError && p.Errno is int errno and > 0 && p.Message == Errno.StrError(errno))
                return OsErrorBase - errno;
        }
        // Anything else (and every non-library exception, e.g. the signal hook's PythonException) crosses whole.
        pending = ex;
        return Pending;
    }
}
