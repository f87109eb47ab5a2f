using DotNetty.Buffers;

namespace Netty.PySocket.Socket;

/// <summary>
/// Bytes received and not yet read by Python. Not thread-safe: its owner (<see cref="SocketCore"/>) holds its
/// lock around every call. Bounded by the owner, which turns AutoRead off above the high-water mark.
/// </summary>
internal sealed class ReadBuffer
{
    readonly Queue<IByteBuffer> chunks = new();

    /// <summary>Bytes held.</summary>
    public long Count { get; private set; }

    public void Append(IByteBuffer buffer)
    {
        int n = buffer.ReadableBytes;
        if (n == 0)
        {
            buffer.Release();
            return;
        }
        chunks.Enqueue(buffer);
        Count += n;
    }

    /// <summary>Copies up to <c>destination.Length</c> bytes; with <paramref name="consume"/> false (MSG_PEEK) leaves them.</summary>
    public int CopyTo(Span<byte> destination, bool consume)
    {
        int copied = 0;
        if (!consume)
        {
            foreach (IByteBuffer b in chunks)
            {
                if (copied == destination.Length) break;
                int n = Math.Min(b.ReadableBytes, destination.Length - copied);
                new ReadOnlySpan<byte>(b.Array, b.ArrayOffset + b.ReaderIndex, n).CopyTo(destination[copied..]);
                copied += n;
            }
            return copied;
        }
        while (copied < destination.Length && chunks.Count > 0)
        {
            IByteBuffer b = chunks.Peek();
            int n = Math.Min(b.ReadableBytes, destination.Length - copied);
            new ReadOnlySpan<byte>(b.Array, b.ArrayOffset + b.ReaderIndex, n).CopyTo(destination[copied..]);
            copied += n;
            b.SetReaderIndex(b.ReaderIndex + n);
            if (!b.IsReadable())
            {
                chunks.Dequeue().Release();
            }
        }
        Count -= copied;
        return copied;
    }

    /// <summary>Drops everything (close, SHUT_RD) and returns the buffers to the pool.</summary>
    public void Clear()
    {
        while (chunks.Count > 0)
        {
            chunks.Dequeue().Release();
        }
        Count = 0;
    }
}
