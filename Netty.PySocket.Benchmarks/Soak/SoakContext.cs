namespace Netty.PySocket.Benchmarks.Soak;

/// <summary>What every scenario gets: the mode, the log line writer, a certificate, the descriptor limit in force.</summary>
public sealed class SoakContext(bool quick, Action<string> say, TestCertificate cert, ulong fdLimit)
{
    /// <summary>Threads the harness adds while a scenario runs besides the one driving it: the peak sampler.</summary>
    public const int Callers = 1;

    /// <summary>Runtime threads that start on demand and come and go: the tiered-compilation worker, the background GC.</summary>
    public const int RuntimeOnDemand = 2;

    /// <summary>
    /// The .NET thread pool (socket completions, the TLS handshake tasks) is the runtime's, shared, and sizes itself
    /// by hill climbing from the CPU count and its throughput, not from the connection count (measured peaks here:
    /// 7-18). The bound only has to tell that from a thread per connection, which would need thousands.
    /// </summary>
    public static int ThreadPoolBound => Math.Max(32, 8 * Environment.ProcessorCount);

    public bool Quick { get; } = quick;
    public Action<string> Say { get; } = say;
    public TestCertificate Cert { get; } = cert;
    public ulong FdLimit { get; } = fdLimit;
}
