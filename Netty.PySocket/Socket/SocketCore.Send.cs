using DotNetty.Buffers;
using Netty.PySocket.Errors;

namespace Netty.PySocket.Socket;

internal sealed partial class SocketCore
{
    /// <summary>Outbound bytes queued in the channel before it turns unwritable (send then blocks or raises EAGAIN).</summary>
    internal static int WriteHighWaterMark = 256 * 1024;
    internal static int WriteLowWaterMark = 128 * 1024;

    /// <summary>Largest piece one write carries; sendall pipelines such pieces against writability.</summary>
    const int MaxWriteChunk = 64 * 1024;

    Task lastWrite = Task.CompletedTask;
    PySocketException? writeError;
    bool shutWrite;

    static readonly Action<Task, object?> WriteCompleted = (t, s) => ((SocketCore)s!).OnWriteCompleted(t);

    // Writes handed to the channel and not completed yet. While it is 0 and nothing transforms outbound bytes
    // (no TLS handler), a caller may write straight to the non-blocking socket: no hop to the event loop,
    // which dominated small-message latency (see design/send-sendall.md).
    int queuedWrites;
    readonly object directSendGate = new();

    /// <summary>
    /// False while a handler that transforms bytes (TLS) is in the pipeline: then every byte must pass the pipeline,
    /// and callers never read or write the socket directly.
    /// </summary>
    internal volatile bool PlainPipeline = true;

    /// <summary>
    /// send(): waits for room as the deadline allows; gives the kernel as much as it takes now, however large (a
    /// 16 MiB non-blocking send fills the socket buffers, as CPython's does: test_socket's testWriteNonBlocking), and
    /// when that is less than a chunk, queues the rest of the chunk. Returns the bytes taken.
    /// </summary>
    internal int Send(ReadOnlySpan<byte> data, in Deadline deadline, bool throughTls = false)
    {
        PyTcpChannel ch = WaitWritable(deadline);
        int n = Math.Min(data.Length, MaxWriteChunk);
        int direct = throughTls ? TryDirectTls(data[..n]) : TryDirectWrite(data);
        if (direct >= n) return direct;
        Write(ch, data[direct..n], throughTls);
        return n;
    }

    /// <summary>
    /// sendall(): all or an exception. Writes are pipelined against channel writability, not awaited one by one
    /// (awaiting each write ran at 0.23x of raw sockets here; pipelining at 0.83x). The deadline covers the whole call.
    /// </summary>
    internal void SendAll(ReadOnlySpan<byte> data, in Deadline deadline, bool throughTls = false)
    {
        int offset = 0;
        if (!throughTls && !deadline.IsNonBlocking) offset = SendAllWaitingInKernel(data, deadline);
        if (offset == data.Length) return;
        do
        {
            PyTcpChannel ch = WaitWritable(deadline);
            int n = Math.Min(data.Length - offset, MaxWriteChunk);
            int direct = throughTls ? TryDirectTls(data.Slice(offset, n)) : TryDirectWrite(data.Slice(offset, n));
            if (direct < n) Write(ch, data.Slice(offset + direct, n - direct), throughTls);
            offset += n;
        }
        while (offset < data.Length);
    }

    /// <summary>
    /// A blocking sendall on a plain socket with nothing queued writes straight to the kernel and, when its send
    /// buffer is full, waits in poll(2) for room, as CPython does: no copy into the pipeline and no event-loop hop
    /// per write (design/send-sendall.md). Returns the bytes written; the pipeline path takes over for the rest when
    /// a write is queued or TLS arrives. Raises timeout when the deadline passes.
    /// </summary>
    int SendAllWaitingInKernel(ReadOnlySpan<byte> data, in Deadline deadline)
    {
        int offset = 0, wake = -1;
        try
        {
            bool full = false;
            while (offset < data.Length)
            {
                int fd;
                lock (Sync)
                {
                    CheckSendable();
                    if (state != SocketState.Connected || !PlainPipeline || Volatile.Read(ref queuedWrites) != 0) return offset;
                    fd = PrimaryFd;
                    if (full && wake < 0)
                    {
                        // Registered under the lock that checked the state: a close from now on wakes the poll.
                        wake = WakeDescriptor.Rent();
                        if (wake < 0) return offset;
                        AddKernelWaiter(wake);
                    }
                }
                if (full)
                {
                    // A short write means the send buffer is full: wait for room rather than retrying at once.
                    if (!WaitInKernel(fd, PollOut, wake, deadline)) throw PySocketException.Timeout();
                    full = false;
                    continue;
                }
                offset += TryDirectWrite(data[offset..]);
                full = offset < data.Length;
            }
            return offset;
        }
        finally
        {
            if (wake >= 0) RemoveKernelWaiter(wake);
        }
    }

    PyTcpChannel WaitWritable(in Deadline deadline)
    {
        lock (Sync)
        {
            while (true)
            {
                CheckSendable();
                // A connect in progress is not writable yet: Netty would fail writes flushed before it completes.
                if (state == SocketState.Connected && channel!.IsWritable) return channel;
                if (!Waiter.Wait(Sync, deadline))
                {
                    CheckSendable();
                    if (state == SocketState.Connected && channel!.IsWritable) return channel;
                    if (deadline.IsNonBlocking && state == SocketState.Connecting && CatchUpWithKernel()) continue;
                    throw deadline.IsNonBlocking ? PySocketException.WouldBlock() : PySocketException.Timeout();
                }
            }
        }
    }

    void CheckSendable()
    {
        switch (state)
        {
            case SocketState.Closed:
                throw BadFd();
            case SocketState.Connected:
                break;
            case SocketState.Connecting:
                // Linux: send on a socket whose connect is in progress waits (blocking) or gives EAGAIN.
                return;
            case SocketState.ConnectFailed:
                throw PySocketException.OSError(soError != 0 ? soError : Errno.EPIPE);
            default:
                // Linux gives EPIPE for send on an unconnected TCP socket.
                throw PySocketException.OSError(Errno.EPIPE);
        }
        if (shutWrite) throw PySocketException.OSError(Errno.EPIPE);
        if (writeError is not null) throw writeError;
    }

    /// <summary>TLS: all of <paramref name="data"/> when the TLS layer encrypted and sent it on this thread, else 0.</summary>
    int TryDirectTls(ReadOnlySpan<byte> data) => TlsDirect is { } tls && !WritesQueued && tls.TryWriteDirect(data) ? data.Length : 0;

    /// <summary>Writes what the kernel takes now, from the caller's thread, when nothing is queued; returns the count.</summary>
    int TryDirectWrite(ReadOnlySpan<byte> data)
    {
        if (!PlainPipeline || Volatile.Read(ref queuedWrites) != 0 || !Monitor.TryEnter(directSendGate)) return 0;
        try
        {
            if (Volatile.Read(ref queuedWrites) != 0) return 0;
            int n = DescriptorIo.Send(raw, data);
            if (n > 0) NudgeLoopbackPeer();
            if (n >= 0) return n;
            if (n == -Errno.EAGAIN) return 0;
            PySocketException e = PySocketException.OSError(-n);
            lock (Sync)
            {
                writeError ??= e;
            }
            throw e;
        }
        catch (ObjectDisposedException)
        {
            throw BadFd();
        }
        finally
        {
            Monitor.Exit(directSendGate);
        }
    }

    void OnWriteCompleted(Task t)
    {
        Interlocked.Decrement(ref queuedWrites);
        if (t.IsFaulted) OnWriteFailed(t);
    }

    /// <summary>Queues a write; <paramref name="throughTls"/> false while TLS is in the pipeline: plain bytes (a dup's send).</summary>
    void Write(PyTcpChannel ch, ReadOnlySpan<byte> data, bool throughTls)
    {
        IByteBuffer buffer = ch.Allocator.HeapBuffer(data.Length);
        data.CopyTo(new Span<byte>(buffer.Array, buffer.ArrayOffset + buffer.WriterIndex, data.Length));
        buffer.SetWriterIndex(buffer.WriterIndex + data.Length);
        Interlocked.Increment(ref queuedWrites);
        lock (Sync)
        {
            // The event loop's send(2) must not find a blocking descriptor (it would stall the loop).
            LeaveBlockingDescriptor();
        }
        Task t = ch.WriteAndFlushAsync(PlainPipeline || throughTls ? buffer : new KernelBytes(buffer));
        lock (Sync)
        {
            lastWrite = t;
        }
        t.ContinueWith(WriteCompleted, this, TaskContinuationOptions.ExecuteSynchronously);
    }

    void OnWriteFailed(Task t)
    {
        PySocketException e = ErrorTable.Translate(t.Exception!);
        lock (Sync)
        {
            // A write that fails after the peer reset the connection: later sends raise EPIPE / ECONNRESET.
            writeError ??= e.Errno == Errno.ECONNRESET ? e : PySocketException.OSError(Errno.EPIPE);
            Signal();
        }
        NotifyReadiness();
    }
}
