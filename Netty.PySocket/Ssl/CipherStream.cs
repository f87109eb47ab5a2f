using System.Buffers;
using DotNetty.Buffers;
using DotNetty.Transport.Channels;

namespace Netty.PySocket.Ssl;

/// <summary>
/// The in-memory duplex stream under <see cref="System.Net.Security.SslStream"/>: reads return the ciphertext the
/// pipeline fed in, writes go out through the pipeline (the handler's context). Reads never cross a TLS record
/// boundary, so after the peer's close_notify every later byte (plain text after unwrap) is still here.
/// A record header that is not TLS is remembered (<see cref="NotTls"/>) and ends the stream with an error.
/// </summary>
internal sealed class CipherStream : Stream
{
    readonly object gate = new();
    readonly Queue<IByteBuffer> chunks = new();
    long available;
    bool eof;
    int recordLeft; // bytes of the current record (header included) not yet handed to SslStream
    TaskCompletionSource<bool>? waiting;
    IChannelHandlerContext? ctx;
    Task lastWrite = Task.CompletedTask;

    /// <summary>The first bytes of a record that was not TLS (a plain-text peer), else null.</summary>
    public byte[]? NotTls { get; private set; }

    /// <summary>True once a read returned 0 because the TCP stream ended.</summary>
    public bool EofDelivered { get; private set; }

    /// <summary>Every byte handed to SslStream so far (zero: the peer never started TLS).</summary>
    public long Consumed { get; private set; }

    public void Attach(IChannelHandlerContext context) => ctx = context;

    /// <summary>
    /// Set once the handshake is over: a read waiting for ciphertext then resumes inline on the event loop that
    /// fed it (SslStream decrypts there and the plain bytes go on to SocketHandler without two thread hops, which
    /// dominated small-record latency). The handshake's reads still resume on the thread pool: its callbacks
    /// (certificate validation, a Python sni_callback) must not run on the event loop.
    /// </summary>
    public volatile bool ResumeInline;

    public Task LastWrite => Volatile.Read(ref lastWrite);

    /// <summary>Ciphertext queued and not yet handed to SslStream.</summary>
    public long Available
    {
        get
        {
            lock (gate) return available;
        }
    }

    /// <summary>
    /// Ciphertext from the pipeline or a caller (takes ownership of the buffer). A waiting read resumes on this
    /// thread when <see cref="ResumeInline"/> or <paramref name="resumeHere"/> says so (a caller feeding its own
    /// blocking handshake: its callbacks may run there, as on OpenSSL's caller thread), else on the thread pool.
    /// </summary>
    public void Feed(IByteBuffer buffer, bool resumeHere = false)
    {
        TaskCompletionSource<bool>? wake;
        lock (gate)
        {
            if (!buffer.IsReadable() || eof)
            {
                buffer.Release();
                return;
            }
            chunks.Enqueue(buffer);
            available += buffer.ReadableBytes;
            wake = waiting;
            waiting = null;
        }
        Resume(wake, resumeHere);
    }

    void Resume(TaskCompletionSource<bool>? wake, bool resumeHere)
    {
        if (wake is null) return;
        if (resumeHere || ResumeInline) wake.TrySetResult(true);
        else ThreadPool.UnsafeQueueUserWorkItem(static w => w.TrySetResult(true), wake, preferLocal: false);
    }

    public void Feed(byte[] data)
    {
        if (data.Length > 0) Feed(Unpooled.WrappedBuffer(data));
    }

    public void FeedEof()
    {
        TaskCompletionSource<bool>? wake;
        lock (gate)
        {
            eof = true;
            wake = waiting;
            waiting = null;
        }
        Resume(wake, resumeHere: false);
    }

    /// <summary>Everything not yet handed to SslStream (unwrap: the plain bytes after close_notify).</summary>
    public byte[] TakeRest(out bool tcpEof)
    {
        lock (gate)
        {
            var rest = new byte[available];
            int off = 0;
            while (chunks.Count > 0)
            {
                IByteBuffer b = chunks.Dequeue();
                int n = b.ReadableBytes;
                b.GetBytes(b.ReaderIndex, rest, off, n);
                off += n;
                b.Release();
            }
            available = 0;
            tcpEof = eof;
            eof = true;
            return rest;
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task<bool> wait;
            lock (gate)
            {
                int n = TryRead(destination.Span);
                if (n >= 0) return n;
                waiting ??= new TaskCompletionSource<bool>(); // Resume picks the thread
                wait = waiting.Task;
            }
            await wait.ConfigureAwait(false);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>Under the lock: bytes copied, 0 at EOF, -1 when the caller must wait.</summary>
    int TryRead(Span<byte> destination)
    {
        if (NotTls is not null) throw new IOException("not a TLS record");
        if (recordLeft == 0)
        {
            if (available < 5)
            {
                if (!eof) return -1;
                EofDelivered = true;
                return 0;
            }
            Span<byte> header = stackalloc byte[5];
            Peek(header);
            byte type = header[0];
            if (type < 20 || type > 24 || header[1] != 3)
            {
                var first = new byte[Math.Min(available, 16)];
                Peek(first);
                NotTls = first;
                throw new IOException("not a TLS record");
            }
            recordLeft = 5 + ((header[3] << 8) | header[4]);
        }
        if (available == 0)
        {
            if (!eof) return -1;
            EofDelivered = true;
            return 0;
        }
        int want = (int)Math.Min(Math.Min(destination.Length, recordLeft), available);
        int copied = 0;
        while (copied < want)
        {
            IByteBuffer b = chunks.Peek();
            int n = Math.Min(b.ReadableBytes, want - copied);
            new ReadOnlySpan<byte>(b.Array, b.ArrayOffset + b.ReaderIndex, n).CopyTo(destination.Slice(copied, n));
            b.SetReaderIndex(b.ReaderIndex + n);
            copied += n;
            if (!b.IsReadable()) chunks.Dequeue().Release();
        }
        available -= copied;
        recordLeft -= copied;
        Consumed += copied;
        return copied;
    }

    void Peek(Span<byte> destination)
    {
        int copied = 0;
        foreach (IByteBuffer b in chunks)
        {
            if (copied == destination.Length) break;
            int n = Math.Min(b.ReadableBytes, destination.Length - copied);
            new ReadOnlySpan<byte>(b.Array, b.ArrayOffset + b.ReaderIndex, n).CopyTo(destination.Slice(copied, n));
            copied += n;
        }
    }

    /// <summary>While set (by the TLS layer's write lock holder), SslStream's records are collected here, not written.</summary>
    internal ArrayBufferWriter<byte>? Capture;

    /// <summary>
    /// While set (the handshake), SslStream's records may go straight to the kernel from the writing thread when no
    /// write of ours is pending (false: through the pipeline), saving the event-loop hop per flight.
    /// </summary>
    internal Func<ReadOnlySpan<byte>, bool>? DirectSend;

    public override void Write(ReadOnlySpan<byte> data)
    {
        if (Capture is { } capture)
        {
            capture.Write(data);
            return;
        }
        if (DirectSend is { } direct && Volatile.Read(ref lastWrite).IsCompleted && direct(data)) return;
        IChannelHandlerContext c = ctx ?? throw new IOException("TLS layer not attached");
        IByteBuffer buffer = c.Allocator.HeapBuffer(data.Length);
        data.CopyTo(new Span<byte>(buffer.Array, buffer.ArrayOffset + buffer.WriterIndex, data.Length));
        buffer.SetWriterIndex(buffer.WriterIndex + data.Length);
        Volatile.Write(ref lastWrite, c.WriteAndFlushAsync(buffer));
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(new ReadOnlySpan<byte>(buffer, offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(new ReadOnlySpan<byte>(buffer, offset, count));
        return Task.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (gate)
            {
                while (chunks.Count > 0) chunks.Dequeue().Release();
                available = 0;
                eof = true;
            }
        }
        base.Dispose(disposing);
    }
}
