using System.Net;
using Netty.PySocket.Errors;
using Netty.PySocket.Runtime;

namespace Netty.PySocket.Socket;

internal sealed partial class SocketCore
{
    int soError;

    /// <summary>A non-blocking connect answered EINPROGRESS and no connect() has seen its outcome yet.</summary>
    bool connectUnreported;

    /// <summary>An earlier connect failed: connect again with connect(2) itself (<see cref="KernelConnect"/>).</summary>
    bool reconnectInKernel;

    /// <summary>The address a <see cref="KernelConnect"/> went to: System.Net does not know that peer.</summary>
    IPEndPoint? kernelPeer;

    /// <summary>
    /// connect(), always connect(2) on the caller's thread as CPython does (<see cref="ConnectDirect"/>): blocking and
    /// timeout modes wait in poll(2); non-blocking mode raises EINPROGRESS and the <see cref="KernelWatcher"/>
    /// records the outcome, which makes the socket writable with SO_ERROR set, as the kernel does. A connected socket
    /// then gets its channel, as an accepted one does.
    /// Returns 0 or the errno (connect_ex); throws only what connect_ex also throws.
    /// </summary>
    internal int Connect(IPEndPoint remote, in Deadline deadline, bool raise)
    {
        // The kernel may have settled an attempt in progress before the watcher told us (loopback refuses within
        // connect(2)): this connect() reports what Linux would.
        SettleIfKernelDid();
        lock (Sync)
        {
            switch (state)
            {
                case SocketState.Closed:
                    throw BadFd();
                case SocketState.Connected:
                    if (!connectUnreported) return Fail(Errno.EISCONN, raise);
                    // Linux: the first connect() after a non-blocking connect succeeded reports it (0), later ones EISCONN.
                    connectUnreported = false;
                    return 0;
                case SocketState.Listening:
                    return Fail(Errno.EISCONN, raise);
                case SocketState.Connecting:
                    // A second connect while the first is in progress: EALREADY.
                    return Fail(Errno.EALREADY, raise);
                case SocketState.ConnectFailed:
                    // Linux reports the failure of a non-blocking connect to the next connect() too (the pending
                    // error, or ECONNABORTED once SO_ERROR took it); then the socket may connect anew.
                    int failure = soError != 0 ? soError : Errno.ECONNABORTED;
                    ForgetFailedConnect();
                    return Fail(failure, raise, clearSoError: true);
            }
            state = SocketState.Connecting;
        }
        return ConnectDirect(remote, deadline, raise);
    }

    /// <summary>Under the lock, once the connect settled: 0, or the error (raised for connect()).</summary>
    int ConnectOutcome(bool raise) => state switch
    {
        SocketState.Connected => 0,
        SocketState.Closed => throw BadFd(),
        _ => Fail(soError, raise, clearSoError: true),
    };

    int Fail(int errno, bool raise, bool clearSoError = false)
    {
        if (clearSoError) soError = 0;
        if (raise) throw PySocketException.OSError(errno);
        return errno;
    }

    /// <summary>
    /// Under the lock, once a failed connect was reported by connect() itself: the socket is unconnected again, as
    /// Linux leaves it (the next connect is connect(2) on the same descriptor). connect(AF_UNSPEC) makes the kernel forget the attempt too: System.Net's connect was
    /// non-blocking, so the kernel still holds it as "connecting" and would answer ECONNABORTED once more.
    /// </summary>
    void ForgetFailedConnect()
    {
        state = SocketState.Fresh;
        reconnectInKernel = true;
        connectUnreported = false;
        try
        {
            DescriptorIo.Connect(raw, stackalloc byte[16]); // zeroed: sa_family 0 is AF_UNSPEC
        }
        catch (ObjectDisposedException)
        {
            // Closed meanwhile: nothing to forget.
        }
    }

    /// <summary>SO_ERROR: the pending error of a failed non-blocking connect, cleared by reading it.</summary>
    internal int TakeSoError()
    {
        lock (Sync)
        {
            int e = soError;
            soError = 0;
            return e;
        }
    }
}
