using System.Security.Cryptography;

namespace Netty.PySocket.Benchmarks;

/// <summary>The bytes every bulk sender sends: a 1 MiB pseudo-random block, cycled; slice i starts where i-1 ended.</summary>
public static class Payload
{
    public const int BlockSize = 1 << 20;
    public static readonly byte[] Block = MakeBlock();

    static byte[] MakeBlock()
    {
        var b = new byte[BlockSize * 2]; // doubled so any slice up to 1 MiB is contiguous
        new Random(12345).NextBytes(b.AsSpan(0, BlockSize));
        b.AsSpan(0, BlockSize).CopyTo(b.AsSpan(BlockSize));
        return b;
    }

    /// <summary>The slice to send at stream position <paramref name="pos"/>.</summary>
    public static ReadOnlySpan<byte> Slice(long pos, int len) => Block.AsSpan((int)(pos % BlockSize), len);
    public static int SliceOffset(long pos) => (int)(pos % BlockSize);

    public static string ExpectedSha(long total, int chunk)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (long pos = 0; pos < total;)
        {
            int len = (int)Math.Min(chunk, total - pos);
            h.AppendData(Slice(pos, len));
            pos += len;
        }
        return Convert.ToHexString(h.GetHashAndReset());
    }
}

/// <summary>What one bulk/stream run measured.</summary>
public readonly record struct BulkResult(double Seconds, string? Sha);

/// <summary>Allocation per operation (bytes).</summary>
public readonly record struct AllocResult(double SendCaller, double RecvCaller, double Process);

/// <summary>One TCP stack doing the C#-level jobs.</summary>
public abstract class TcpImpl
{
    public abstract string Name { get; }
    /// <summary>Client sends <paramref name="total"/> bytes in <paramref name="chunk"/>-byte sends, the accepted socket
    /// receives with <paramref name="chunk"/>-byte receives. Hash computed on the receiver only when asked.</summary>
    public abstract BulkResult Bulk(long total, int chunk, bool verify);
    /// <summary>Round trips of <paramref name="size"/> bytes; returns each round trip's latency in microseconds.</summary>
    public abstract double[] PingPong(int n, int size, bool timeoutMode);
    /// <summary>Seconds for n sequential connect+accept+close.</summary>
    public abstract double ConnRate(int n);
    public abstract AllocResult Alloc(int n, int size);
}
