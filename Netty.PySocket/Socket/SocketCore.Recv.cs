using System.Buffers;
using System.Net.Sockets;
using Netty.PySocket.Errors;
using Netty.PySocket.Runtime;

namespace Netty.PySocket.Socket;

internal sealed partial class SocketCore
{
    /// <summary>Inbound bytes buffered before reading from the network pauses (AutoRead off).</summary>
    internal static int ReadHighWaterMark = 256 * 1024;
    /// <summary>Reading resumes once Python has drained the buffer below this.</summary>
    internal static int ReadLowWaterMark = 64 * 1024;

    readonly ReadBuffer readBuffer = new();
    bool readPaused;

    /// <summary>A direct read already raised the connection error (the kernel reports it once, to one reader).</summary>
    bool readErrorReported;
    bool inputEof;
    bool shutRead;
    PySocketException? readError;

    /// <summary>recv_into(): copies buffered bytes into <paramref name="destination"/>, waiting as the deadline allows.</summary>
    internal int Receive(Span<byte> destination, bool peek, in Deadline deadline)
    {
        int direct = SleepsInRecv(deadline) ? SleepInRecv(destination, peek, deadline) : NotOwned;
        if (direct == NotOwned)
        {
            direct = TryDirectReceive(destination, peek);
            if (direct < 0 && !deadline.IsNonBlocking) direct = WaitAndReceiveDirect(destination, peek, deadline);
        }
        if (direct >= 0) return direct;
        lock (Sync)
        {
            if (!AwaitData(deadline, destination.Length == 0)) return 0;
            int n = readBuffer.CopyTo(destination, consume: !peek);
            AfterConsume();
            return n;
        }
    }

    /// <summary>recv(): a new array of exactly the bytes read (no oversized buffer to trim), empty at EOF.</summary>
    internal byte[] Receive(int max, bool peek, in Deadline deadline)
    {
        if (max > 0 && PlainPipeline)
        {
            byte[] rented = ArrayPool<byte>.Shared.Rent(Math.Min(max, DirectReceiveLimit));
            try
            {
                Span<byte> target = rented.AsSpan(0, Math.Min(max, rented.Length));
                int n = SleepsInRecv(deadline) ? SleepInRecv(target, peek, deadline) : NotOwned;
                if (n == NotOwned)
                {
                    n = TryDirectReceive(target, peek);
                    if (n < 0 && !deadline.IsNonBlocking) n = WaitAndReceiveDirect(target, peek, deadline);
                }
                if (n >= 0) return rented[..n];
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
        lock (Sync)
        {
            if (!AwaitData(deadline, max == 0)) return [];
            byte[] result = new byte[(int)Math.Min(max, readBuffer.Count)];
            readBuffer.CopyTo(result, consume: !peek);
            AfterConsume();
            return result;
        }
    }

    /// <summary>
    /// A blocking recv that found nothing: waits in the kernel when it may own the socket's reads
    /// (<see cref="ReceiveWaitingInKernel"/>), else spins briefly before the locked path sleeps on the condition.
    /// Returns the bytes read, or -1 for the locked path.
    /// </summary>
    int WaitAndReceiveDirect(Span<byte> destination, bool peek, in Deadline deadline)
    {
        int n = ReceiveWaitingInKernel(destination, peek, deadline);
        return n == NotOwned ? SpinReceive(destination, peek) : n;
    }

    /// <summary>How long a blocking recv keeps trying the kernel before it sleeps on the condition.</summary>
    internal static int ReceiveSpinMicroseconds = 100;

    /// <summary>
    /// A blocking recv that found nothing polls the kernel for a few microseconds before it sleeps: a reply on
    /// loopback usually arrives within that, and sleeping costs a wake-up by the event loop (two thread hops).
    /// Stops as soon as the event loop has buffered something (then the normal path takes it).
    /// </summary>
    int SpinReceive(Span<byte> destination, bool peek)
    {
        if (ReceiveSpinMicroseconds <= 0 || Environment.ProcessorCount < 2) return -1;
        long until = System.Diagnostics.Stopwatch.GetTimestamp() + ReceiveSpinMicroseconds * System.Diagnostics.Stopwatch.Frequency / 1_000_000;
        var spin = new SpinWait();
        while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
        {
            spin.SpinOnce(-1);
            if (readBuffer.Count > 0) return -1; // unlocked peek: the locked path re-checks
            int n = TryDirectReceive(destination, peek);
            if (n >= 0) return n;
        }
        return -1;
    }

    /// <summary>The most a recv(n) reads straight from the kernel into a pooled array.</summary>
    const int DirectReceiveLimit = 256 * 1024;

    /// <summary>
    /// The fast path of recv: nothing buffered, so read straight from the non-blocking socket on the caller's
    /// thread, as CPython does, instead of waiting for the event loop to carry the bytes over (a thread hop that
    /// dominated small-message latency, and that made data already in the kernel look absent to a non-blocking
    /// recv). <see cref="PyTcpChannel.ReadGate"/> keeps the event loop's reads and ours in stream order.
    /// Returns the bytes read (0 = EOF), or -1 when the caller must take the buffered/waiting path.
    /// </summary>
    int TryDirectReceive(Span<byte> destination, bool peek)
    {
        PyTcpChannel? ch = channel;
        if (destination.Length == 0 || ch is null || !PlainPipeline) return -1;
        bool gate = false;
        try
        {
            // A caller asleep in recv(2) holds the gate until data or its slice: the kernel's bytes are its.
            if (Volatile.Read(ref blockingReaders) > 0) gate = Monitor.TryEnter(ch.ReadGate);
            else Monitor.Enter(ch.ReadGate, ref gate);
            if (!gate) return -1;
            lock (Sync)
            {
                if (state != SocketState.Connected || readBuffer.Count > 0 || inputEof || shutRead || readError is not null || !PlainPipeline)
                {
                    return -1;
                }
                int n;
                try
                {
                    n = DescriptorIo.Receive(raw, destination, peek ? Net.SocketConstants.MSG_PEEK : 0);
                }
                catch (ObjectDisposedException)
                {
                    return -1;
                }
                return n == -Errno.EAGAIN ? -1 : OnDirectReceive(n, peek);
            }
        }
        finally
        {
            if (gate) Monitor.Exit(ch.ReadGate);
        }
    }

    /// <summary>Under the read gate and <see cref="Sync"/>: the result of a recv(2) on the caller's thread (bytes, or -errno for a reset).</summary>
    int OnDirectReceive(int n, bool peek)
    {
        if (n >= 0)
        {
            if (n == 0 && !peek)
            {
                // EOF read here: the event loop's own read will see it too and fire the input-shutdown event.
                inputEof = true;
                Signal();
            }
            return n;
        }
        // A reset: report it once, like the event loop's path, then EOF.
        readErrorReported = true;
        inputEof = true;
        writeError ??= PySocketException.OSError(-n);
        Signal();
        throw PySocketException.OSError(-n);
    }

    /// <summary>
    /// Under the lock: true when buffered bytes can be read, false at EOF (or SHUT_RD, or a zero-size request).
    /// Raises a connection error once (ECONNRESET), after which reads see EOF, as on Linux.
    /// </summary>
    bool AwaitData(in Deadline deadline, bool zeroSize)
    {
        while (true)
        {
            switch (state)
            {
                case SocketState.Closed:
                    throw BadFd();
                case SocketState.Connected:
                    break;
                case SocketState.Connecting:
                    // Linux: recv while a connect is in progress waits (blocking) or gives EAGAIN.
                    if (!Waiter.Wait(Sync, deadline) && !(deadline.IsNonBlocking && CatchUpWithKernel())) throw WouldBlockOrTimeout(deadline);
                    continue;
                default:
                    throw PySocketException.OSError(Errno.ENOTCONN);
            }
            if (readBuffer.Count > 0) return !zeroSize;
            if (readError is not null)
            {
                PySocketException e = readError;
                readError = null;
                // Reported now: the event loop may still be delivering the same reset (OnError); Linux reports it once.
                readErrorReported = true;
                inputEof = true;
                throw e;
            }
            if (inputEof || shutRead || zeroSize) return false;
            // Waiting on the condition needs the event loop to deliver: take the reads back from callers.
            if (callerReads && !deadline.IsNonBlocking && !deadline.Expired) EndCallerReads();
            if (!Waiter.Wait(Sync, deadline))
            {
                if (readBuffer.Count > 0 || inputEof || readError is not null || state != SocketState.Connected) continue;
                if (deadline.IsNonBlocking && CatchUpWithKernel()) continue;
                throw WouldBlockOrTimeout(deadline);
            }
        }
    }

    void AfterConsume()
    {
        if (readPaused && readBuffer.Count <= ReadLowWaterMark)
        {
            readPaused = false;
            channel!.Configuration.AutoRead = true;
            SocketsLog.ReadResumed(PrimaryFd, readBuffer.Count);
        }
    }

    static PySocketException WouldBlockOrTimeout(in Deadline deadline) =>
        deadline.IsNonBlocking ? PySocketException.WouldBlock() : PySocketException.Timeout();

    /// <summary>Bytes buffered for recv (select's level check; also SIOCINQ-like tests).</summary>
    internal long BufferedBytes
    {
        get
        {
            lock (Sync) return readBuffer.Count;
        }
    }

    /// <summary>True when the inbound side is paused for backpressure (tests of the bound).</summary>
    internal bool ReadPaused
    {
        get
        {
            lock (Sync) return readPaused;
        }
    }
}
