using System.Collections.Concurrent;

namespace Netty.PySocket.Tests.Reliability;

/// <summary>
/// Records every <see cref="TaskScheduler.UnobservedTaskException"/> raised while the test assembly runs: a faulted
/// task nobody awaited is an error the library swallowed. <see cref="CheckedTestFramework"/> hooks it at start and
/// fails the run at the end if any were seen.
/// </summary>
internal static class UnobservedTasks
{
    static readonly ConcurrentQueue<Exception> seen = new();
    static int hooked;

    public static void Hook()
    {
        if (Interlocked.Exchange(ref hooked, 1) == 1) return;
        TaskScheduler.UnobservedTaskException += (_, e) => seen.Enqueue(e.Exception);
    }

    /// <summary>Finalizes every unreachable task now, so their unobserved exceptions are raised before we count.</summary>
    public static IReadOnlyCollection<Exception> CollectNow()
    {
        for (int i = 0; i < 2; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        return seen.ToArray();
    }
}
