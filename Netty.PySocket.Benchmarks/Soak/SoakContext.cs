namespace Netty.PySocket.Benchmarks.Soak;

/// <summary>What every scenario gets: the mode, the log line writer, a certificate, the descriptor limit in force.</summary>
public sealed class SoakContext(bool quick, Action<string> say, TestCertificate cert, ulong fdLimit)
{
    /// <summary>Threads the harness adds while a scenario runs besides the one driving it: the peak sampler.</summary>
    public const int Callers = 1;

    /// <summary>
    /// The .NET thread pool (socket completions, the TLS handshake tasks) sizes itself from the CPU count and its
    /// own starvation heuristic, never from the connection count; this is the room the thread checks give it.
    /// </summary>
    public static int ThreadPoolAllowance => 4 * Environment.ProcessorCount;

    public bool Quick { get; } = quick;
    public Action<string> Say { get; } = say;
    public TestCertificate Cert { get; } = cert;
    public ulong FdLimit { get; } = fdLimit;
}
