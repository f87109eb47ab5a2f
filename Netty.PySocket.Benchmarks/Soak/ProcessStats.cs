using System.Reflection;
using Netty.PySocket.Runtime;
using Netty.PySocket.Socket;

namespace Netty.PySocket.Benchmarks.Soak;

/// <summary>What the process holds at one moment: resident memory, threads, descriptors, sockets, managed heap.</summary>
public readonly record struct ProcessSnapshot(long RssBytes, long PeakRssBytes, int Threads, int OpenFds, int OpenSockets,
    int RegisteredFds, long HeapBytes)
{
    public override string ToString() =>
        $"RSS {Mib(RssBytes)}, threads {Threads}, fds {OpenFds}, sockets {OpenSockets}, registered fds {RegisteredFds}, heap {Mib(HeapBytes)}";

    public static string Mib(long bytes) => $"{bytes / (1024.0 * 1024.0):0.0} MiB";
}

/// <summary>Reads the process's figures from /proc/self and the library's counters.</summary>
public static class ProcessStats
{
    // FdRegistry (descriptor number -> socket) is internal to the library; the count is read by reflection so the
    // library does not widen its API for a diagnostic. Null if the library ever renames it.
    static readonly PropertyInfo? RegistryCount =
        typeof(SocketObject).Assembly.GetType("Netty.PySocket.Socket.FdRegistry")?.GetProperty("Count", BindingFlags.Static | BindingFlags.Public);

    public static int RegisteredFds => RegistryCount?.GetValue(null) is int n ? n : -1;

    /// <summary>A snapshot; with <paramref name="settle"/> the heap is measured after a full blocking GC with finalizers run.</summary>
    public static ProcessSnapshot Take(bool settle)
    {
        long heap;
        if (settle)
        {
            for (int i = 0; i < 3; i++)
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
            }
            heap = GC.GetTotalMemory(forceFullCollection: true);
        }
        else heap = GC.GetTotalMemory(false);
        var (rss, hwm, threads) = Status();
        return new ProcessSnapshot(rss, hwm, threads, OpenFds(), PySocketRuntime.OpenSocketCount, RegisteredFds, heap);
    }

    public static int OpenFds() => Directory.GetFiles("/proc/self/fd").Length;

    /// <summary>Open descriptors and what each one is (socket:[inode], anon_inode:[eventpoll], a path...).</summary>
    public static Dictionary<int, string> FdTargets()
    {
        var d = new Dictionary<int, string>();
        foreach (var f in Directory.GetFiles("/proc/self/fd"))
        {
            try
            {
                d[int.Parse(Path.GetFileName(f))] = new FileInfo(f).LinkTarget ?? "?";
            }
            catch (IOException) { } // closed meanwhile (the enumeration's own descriptor)
        }
        return d;
    }

    /// <summary>VmRSS, VmHWM (bytes) and Threads from /proc/self/status.</summary>
    public static (long Rss, long Hwm, int Threads) Status()
    {
        long rss = 0, hwm = 0;
        int threads = 0;
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:")) rss = Kb(line);
            else if (line.StartsWith("VmHWM:")) hwm = Kb(line);
            else if (line.StartsWith("Threads:")) threads = int.Parse(line[8..].Trim());
        }
        return (rss, hwm, threads);
    }

    static long Kb(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;

    /// <summary>Resets VmHWM to the current RSS (Linux clear_refs "5"), so the next peak belongs to one scenario.</summary>
    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    /// <summary>The library's buffer bounds (internal statics of SocketCore), read so the report states the values in force.</summary>
    public static int CoreConstant(string name, int fallback)
    {
        var f = typeof(SocketObject).Assembly.GetType("Netty.PySocket.Socket.SocketCore")
            ?.GetField(name, BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public);
        return f?.GetValue(null) is int v ? v : fallback;
    }
}
