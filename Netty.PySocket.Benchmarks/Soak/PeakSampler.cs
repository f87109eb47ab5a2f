namespace Netty.PySocket.Benchmarks.Soak;

/// <summary>Samples peak RSS and thread count on a background thread while a scenario runs.</summary>
public sealed class PeakSampler : IDisposable
{
    readonly Thread thread;
    readonly ManualResetEventSlim stop = new();
    long peakRss;
    int peakThreads, peakPool, peakNonPool;

    public PeakSampler()
    {
        ProcessStats.ResetPeak();
        Sample();
        thread = new Thread(() =>
        {
            while (!stop.Wait(50)) Sample();
        }) { IsBackground = true, Name = "soak-sampler" };
        thread.Start();
    }

    void Sample()
    {
        var (rss, hwm, threads) = ProcessStats.Status();
        peakRss = Math.Max(peakRss, Math.Max(rss, hwm));
        peakThreads = Math.Max(peakThreads, threads);
        int pool = ThreadPool.ThreadCount;
        peakPool = Math.Max(peakPool, pool);
        peakNonPool = Math.Max(peakNonPool, threads - pool);
    }

    /// <summary>Peak threads outside the .NET thread pool: the event loops, the callers, the runtime's own.</summary>
    public int PeakNonPoolThreads { get { Sample(); return peakNonPool; } }

    /// <summary>Peak .NET thread-pool threads (process-wide; they run socket completions and tasks).</summary>
    public int PeakPoolThreads { get { Sample(); return peakPool; } }

    public long PeakRss { get { Sample(); return peakRss; } }
    public int PeakThreads { get { Sample(); return peakThreads; } }

    public void Dispose()
    {
        stop.Set();
        thread.Join();
        stop.Dispose();
    }
}
