using System.Net.Sockets;
using DotNetty.Buffers;
using DotNetty.Transport.Channels;
using Netty.PySocket.Errors;
using Netty.PySocket.Net;
using Netty.PySocket.Runtime;

namespace Netty.PySocket.Socket;

/// <summary>What a TCP socket is doing now.</summary>
internal enum SocketState
{
    /// <summary>Created, maybe bound: only the System.Net socket exists, no channel yet.</summary>
    Fresh,
    Listening,
    Connecting,
    Connected,
    /// <summary>A connect attempt failed; SO_ERROR tells why.</summary>
    ConnectFailed,
    Closed,
}

/// <summary>
/// The kernel-side socket: the System.Net socket, its DotNetty channel once it has one, the inbound
/// <see cref="ReadBuffer"/>, the accept queue and every flag; shared by all descriptors (dup) of it.
/// One lock (<see cref="Sync"/>) guards all state and is the condition every blocked caller waits on;
/// event-loop handlers signal it. Split by concern into partial files.
/// </summary>
internal sealed partial class SocketCore : IKernelSocket
{
    internal readonly object Sync = new();
    readonly System.Net.Sockets.Socket raw;
    PyTcpChannel? channel;
    SocketState state;
    int openDescriptors = 1;

    SocketCore(int family, int type, int proto, System.Net.Sockets.Socket raw, SocketState state)
    {
        Family = family;
        Type = type;
        Proto = proto;
        this.raw = raw;
        this.state = state;
        PrimaryFd = (int)raw.Handle;
    }

    public int Family { get; }
    public int Type { get; }
    public int Proto { get; }
    public int PrimaryFd { get; }

    internal SocketState State
    {
        get
        {
            lock (Sync) return state;
        }
    }

    /// <summary>The channel of a connected (or connecting) socket; null before connect and for listeners.</summary>
    internal IChannel? Channel => (IChannel?)channel ?? server;

    /// <summary>Raised (outside the lock) whenever readiness may have changed; select/poll listen to it.</summary>
    internal event Action<SocketCore>? ReadinessChanged;

    public static SocketCore Create(int family, int type, int proto)
    {
        AddressFamily af = family == SocketConstants.AF_INET6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        System.Net.Sockets.Socket raw;
        try
        {
            raw = new System.Net.Sockets.Socket(af, SocketType.Stream, ProtocolType.Tcp);
            // .NET creates IPv6 sockets with IPV6_V6ONLY=1; Linux (bindv6only=0), and so CPython, start with 0.
            if (af == AddressFamily.InterNetworkV6) raw.DualMode = true;
        }
        catch (Exception ex)
        {
            throw ErrorTable.Translate(ex);
        }
        var core = new SocketCore(family, type, proto, raw, SocketState.Fresh);
        PySocketRuntime.OpenSockets[core] = 0;
        return core;
    }

    /// <summary>A child the listening channel accepted; its channel is registered by the caller.</summary>
    internal static SocketCore ForAccepted(SocketCore listener, PyTcpChannel child)
    {
        var core = new SocketCore(listener.Family, SocketConstants.SOCK_STREAM, listener.Proto, child.RawSocket, SocketState.Connected);
        // Linux accepted sockets inherit TCP_NODELAY from the listener; DotNetty's channel turned it on (AF_UNIX has none).
        if (!listener.IsUnix) child.RawSocket.NoDelay = listener.raw.NoDelay;
        core.AttachChannel(child);
        core.OwnReadsFromStart();
        core.ListLoopbackPeer();
        PySocketRuntime.OpenSockets[core] = 0;
        return core;
    }

    void AttachChannel(PyTcpChannel ch)
    {
        channel = ch;
        ch.Owner = this;
        IChannelConfiguration config = ch.Configuration;
        config.WriteBufferHighWaterMark = WriteHighWaterMark;
        config.WriteBufferLowWaterMark = WriteLowWaterMark;
        ch.Pipeline.AddLast(SocketHandler.Name, new SocketHandler(this));
    }

    /// <summary>Takes another descriptor on this socket (dup).</summary>
    public void AddDescriptor()
    {
        lock (Sync)
        {
            openDescriptors++;
        }
    }

    /// <summary>A descriptor closed; the socket closes with its last one.</summary>
    public void ReleaseDescriptor()
    {
        lock (Sync)
        {
            if (--openDescriptors > 0) return;
        }
        Close();
    }

    void Signal()
    {
        signals++;
        Monitor.PulseAll(Sync);
        if (kernelWaiters.Length > 0) WakeKernelWaiters();
    }

    void NotifyReadiness() => ReadinessChanged?.Invoke(this);

    internal static PySocketException BadFd() => PySocketException.OSError(Errno.EBADF);

    // ---- events from the event loop (SocketHandler, ChildInitializer) ----

    internal void OnData(IByteBuffer buffer)
    {
        lock (Sync)
        {
            if (state == SocketState.Closed || shutRead)
            {
                buffer.Release();
                return;
            }
            readBuffer.Append(buffer);
            if (!readPaused && readBuffer.Count >= ReadHighWaterMark)
            {
                readPaused = true;
                channel!.Configuration.AutoRead = false;
                SocketsLog.ReadPaused(PrimaryFd, readBuffer.Count);
            }
            Signal();
        }
        NotifyReadiness();
    }

    internal void OnInputShutdown()
    {
        lock (Sync)
        {
            inputEof = true;
            Signal();
        }
        NotifyReadiness();
    }

    internal void OnWritabilityChanged()
    {
        lock (Sync)
        {
            Signal();
        }
        NotifyReadiness();
    }

    internal void OnError(Exception ex)
    {
        SocketsLog.ChannelError(PrimaryFd, ex);
        PySocketException error = ErrorTable.Translate(ex);
        lock (Sync)
        {
            // A direct recv may have reported this very error already: report it once. (Not keyed on EOF: the
            // loop may read the error and a direct read the EOF after it, before this runs.)
            if (!readErrorReported) readError ??= error;
            writeError ??= error;
            Signal();
        }
        NotifyReadiness();
    }

    /// <summary>Event loop, under the read gate: the kernel read failed (a reset). Recorded for recv at once.</summary>
    internal void OnReadFailed(Exception ex)
    {
        PySocketException error = ErrorTable.Translate(ex);
        lock (Sync)
        {
            if (!readErrorReported) readError ??= error;
            writeError ??= error;
            Signal();
        }
    }

    internal void OnInactive()
    {
        lock (Sync)
        {
            inputEof = true;
            writeError ??= PySocketException.OSError(Errno.EPIPE);
            Signal();
        }
        NotifyReadiness();
    }
}
