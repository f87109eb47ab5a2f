namespace Netty.PySocket.Benchmarks.Soak;

/// <summary>
/// The most one socket of ours may hold in process memory: its read buffer stops reading at the read high-water
/// mark (plus the one read in flight), its channel stops taking sends at the write high-water mark (plus the one
/// chunk that crossed it). Kernel socket buffers are not process memory and are not counted.
/// </summary>
public static class BufferBound
{
    // A DotNetty read allocates at most 64 KiB; one send chunk is at most 64 KiB (SocketCore.MaxWriteChunk).
    const int OneRead = 64 * 1024, OneWrite = 64 * 1024;

    public static int ReadHighWaterMark => ProcessStats.CoreConstant("ReadHighWaterMark", 256 * 1024);
    public static int WriteHighWaterMark => ProcessStats.CoreConstant("WriteHighWaterMark", 256 * 1024);

    public static long PerSocket => ReadHighWaterMark + OneRead + WriteHighWaterMark + OneWrite;

    /// <summary>Not per connection: the pooled allocator's arenas (16 MiB chunks, one arena per event loop and
    /// per caller thread class), the JIT, the GC's own segments, the harness's tables and hashes.</summary>
    public const long FixedAllowance = 256L << 20;

    public static string Describe =>
        $"read high-water {Sizes.Human(ReadHighWaterMark)} + one read {Sizes.Human(OneRead)} + write high-water {Sizes.Human(WriteHighWaterMark)} + one chunk {Sizes.Human(OneWrite)}";
}
