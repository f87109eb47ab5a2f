using System.Buffers.Binary;
using Netty.PySocket.Errors;
using Netty.PySocket.Net;
using Netty.PySocket.Runtime;

namespace Netty.PySocket.Socket;

/// <summary>
/// The blocking descriptor (design/recv.md, "Blocking descriptor"): a blocking-mode recv that owns the socket's reads
/// sleeps inside recv(2) on a descriptor with O_NONBLOCK cleared, as CPython's blocking socket does, instead of
/// EAGAIN, poll(2), recv(2). On loopback bulk the receiver catches up with the sender often, and each catch-up through
/// poll measured at half the throughput (1.1-1.5 GB/s against 2.0-3.0 GB/s for the blocking descriptor and raw
/// System.Net in the same runs). The flag is cleared only while nothing else can act on the descriptor: the event
/// loop's read parked, no write queued for the loop, no TLS, no watcher; every other call the library makes on it
/// passes MSG_DONTWAIT (<see cref="DescriptorIo"/>). SO_RCVTIMEO bounds each sleep to
/// <see cref="PySocketRuntime.BlockingWaitSlice"/> (the host's signal hook runs between slices, and a hand-back to
/// the event loop waits at most that long); close wakes a sleeper with shutdown(SHUT_RD).
/// </summary>
internal sealed partial class SocketCore
{
    /// <summary>Under <see cref="Sync"/>: O_NONBLOCK is cleared on the descriptor now.</summary>
    bool descriptorBlocking;

    /// <summary>Under <see cref="Sync"/>: callers asleep in recv(2) on the blocking descriptor.</summary>
    int blockingReaders;

    /// <summary>Under <see cref="Sync"/>: reads went back to the event loop while a caller slept in recv(2); the loop's read is re-armed when the last one wakes.</summary>
    bool rearmAfterBlockingReaders;

    /// <summary>Under <see cref="Sync"/>: SO_RCVTIMEO holds our slice, not the user's value.</summary>
    bool sliceTimeoutSet;

    /// <summary>Under <see cref="Sync"/>: the user set SO_RCVTIMEO (then recv never sleeps in the kernel on our slice).</summary>
    bool userReceiveTimeout;

    /// <summary><see cref="ReceiveBlocking"/>: the slice passed (or a signal came) with nothing read.</summary>
    const int SliceElapsed = -3;

    /// <summary>Whether the descriptor is blocking now (tests).</summary>
    internal bool DescriptorBlocking
    {
        get
        {
            lock (Sync) return descriptorBlocking;
        }
    }

    /// <summary>
    /// A blocking recv on the blocking descriptor skips the non-blocking attempt: recv(2) with data waiting behaves
    /// differently without MSG_DONTWAIT (it also takes what arrives while it copies), and that alone measured at
    /// 0.65-0.98x of raw System.Net on bulk against 0.8-1.05x without the attempt.
    /// </summary>
    bool SleepsInRecv(in Deadline deadline) => deadline.IsInfinite && Volatile.Read(ref descriptorBlocking);

    /// <summary>Writes handed to the event loop and not completed yet (tests).</summary>
    internal int QueuedWrites => Volatile.Read(ref queuedWrites);

    /// <summary>
    /// A blocking recv on the blocking descriptor: recv(2) in slices (the host's hook between them) until data, the
    /// end, or a reason to leave. Returns the bytes read, -1 for the locked path, or <see cref="NotOwned"/> (the
    /// ordinary path then runs). No wake descriptor: close wakes recv(2) itself (shutdown).
    /// </summary>
    int SleepInRecv(Span<byte> destination, bool peek, in Deadline deadline)
    {
        while (true)
        {
            int n = ReceiveBlocking(destination, peek, deadline);
            if (n == NotOwned) return NotOwned;
            FreezeOnShutdown(); // it may have slept: the runtime may have gone meanwhile
            if (n != SliceElapsed) return n;
            if (!AfterSlice(deadline)) return -1;
        }
    }

    /// <summary>Under <see cref="Sync"/>: whether a recv with <paramref name="deadline"/> may sleep inside recv(2) now.</summary>
    bool MayBlockInKernel(in Deadline deadline) =>
        deadline.IsInfinite && callerReads && loopReadParked && state == SocketState.Connected && channel is not null
        && PlainPipeline && !readPaused && Volatile.Read(ref watchers).Length == 0 && Volatile.Read(ref queuedWrites) == 0
        && !userReceiveTimeout && readBuffer.Count == 0 && !inputEof && !shutRead && readError is null;

    /// <summary>
    /// One sleep in recv(2) for a blocking-mode caller that owns the reads. Returns the bytes read (0 = EOF), -1 for
    /// the locked path (closed, shut down), <see cref="SliceElapsed"/>, or <see cref="NotOwned"/> when it may not
    /// sleep there now (the caller waits in poll(2) instead).
    /// </summary>
    int ReceiveBlocking(Span<byte> destination, bool peek, in Deadline deadline)
    {
        PyTcpChannel? ch = channel;
        if (ch is null) return NotOwned;
        // The gate keeps the stream order against the other readers (the event loop is parked; a catch-up read by
        // select waits for the gate only briefly and skips).
        lock (ch.ReadGate)
        {
            lock (Sync)
            {
                if (!MayBlockInKernel(deadline) || !EnterBlockingDescriptor()) return NotOwned;
                blockingReaders++;
            }
            int n;
            try
            {
                n = DescriptorIo.ReceiveWaiting(raw, destination, peek ? SocketConstants.MSG_PEEK : 0);
            }
            catch (ObjectDisposedException)
            {
                n = -Errno.EBADF;
            }
            lock (Sync)
            {
                if (--blockingReaders == 0 && rearmAfterBlockingReaders)
                {
                    rearmAfterBlockingReaders = false;
                    if (!callerReads && loopReadParked) RearmLoopRead();
                }
                if (n > 0) return n;
                if (state != SocketState.Connected || shutRead) return -1; // close's SHUT_RD, or the user's shutdown
                if (n == -Errno.EAGAIN || n == -Errno.EINTR) return SliceElapsed;
                return OnDirectReceive(n, peek);
            }
        }
    }

    /// <summary>Under <see cref="Sync"/>: clears O_NONBLOCK (and puts our slice in SO_RCVTIMEO first); false when the kernel refuses.</summary>
    unsafe bool EnterBlockingDescriptor()
    {
        if (descriptorBlocking) return true;
        int fd = PrimaryFd;
        if (!sliceTimeoutSet)
        {
            long micros = (long)PySocketRuntime.BlockingWaitSlice.TotalMicroseconds;
            Span<long> timeval = [micros / 1_000_000, micros % 1_000_000];
            fixed (long* p = timeval)
            {
                if (LibC.SetSockOpt(fd, SocketConstants.SOL_SOCKET, SocketConstants.SO_RCVTIMEO, (byte*)p, 16) != 0) return false;
            }
            sliceTimeoutSet = true;
        }
        if (!LibC.SetNonBlocking(fd, false)) return false;
        descriptorBlocking = true;
        return true;
    }

    /// <summary>
    /// Under <see cref="Sync"/>, before anything else may act on the descriptor (the event loop's read or write, TLS,
    /// close): sets O_NONBLOCK again. A caller already asleep in recv(2) sleeps on until data or its slice ends.
    /// </summary>
    void LeaveBlockingDescriptor()
    {
        if (!descriptorBlocking) return;
        descriptorBlocking = false;
        LibC.SetNonBlocking(PrimaryFd, true);
    }

    /// <summary>Under <see cref="Sync"/>, closing: wakes the callers asleep in recv(2) (they then see the socket closed).</summary>
    void WakeBlockingReaders()
    {
        LeaveBlockingDescriptor();
        if (blockingReaders > 0) LibC.Shutdown(PrimaryFd, SocketConstants.SHUT_RD);
    }

    /// <summary>
    /// getsockopt(SOL_SOCKET, SO_RCVTIMEO) while the kernel holds our slice: what the user would see without it (no
    /// timeout: zeros). Null when the kernel's value is the user's.
    /// </summary>
    object? VirtualReceiveTimeout(int level, int name, int buflen)
    {
        if (level != SocketConstants.SOL_SOCKET || name != SocketConstants.SO_RCVTIMEO) return null;
        lock (Sync)
        {
            if (!sliceTimeoutSet) return null;
        }
        // As Linux: the int form is the first four bytes, a longer buffer gets the whole struct timeval.
        if (buflen == 0) return 0;
        if (buflen < 0 || buflen > 1024) return null; // the kernel path raises CPython's error
        return new byte[Math.Min(buflen, 16)];
    }

    /// <summary>setsockopt(SOL_SOCKET, SO_RCVTIMEO) by the user: from now on the kernel's value is theirs.</summary>
    void OnUserReceiveTimeout(int level, int name)
    {
        if (level != SocketConstants.SOL_SOCKET || name != SocketConstants.SO_RCVTIMEO) return;
        lock (Sync)
        {
            sliceTimeoutSet = false;
            userReceiveTimeout = true;
            LeaveBlockingDescriptor();
        }
    }

    /// <summary>
    /// A fresh socket's O_NONBLOCK follows the Python mode, as CPython's (set unless the timeout is None): nothing of
    /// .NET's acts on the descriptor yet, and connect and listen make it non-blocking through System.Net as they
    /// need (System.Net keeps its own record and sets the flag when it first goes asynchronous). Later the engine
    /// needs the flag set, and only the blocking descriptor above clears it (design/socketobject.md).
    /// </summary>
    internal void FollowMode(bool nonBlocking)
    {
        lock (Sync)
        {
            if (state != SocketState.Fresh && !(state == SocketState.Listening && callerAccepts)) return;
            LibC.SetNonBlocking(PrimaryFd, nonBlocking);
        }
    }
}
