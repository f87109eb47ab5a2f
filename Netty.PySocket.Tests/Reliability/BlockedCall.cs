using System.Diagnostics;

namespace Netty.PySocket.Tests.Reliability;

/// <summary>Fault injection against a call blocked on another thread: the shared part of the close and reset tests.</summary>
internal static class BlockedCall
{
    /// <summary>
    /// Runs <paramref name="blocked"/> on a thread, waits until it blocks, runs <paramref name="fault"/> and waits
    /// (at most <paramref name="joinTimeout"/>) for the thread; returns what it ended with and how long after the
    /// fault it woke. WaitSleepJoin is the thread's own report that it waits on a monitor/event; a caller waiting in
    /// poll(2) (recv, sendall: design/recv.md) is Running to .NET, so such tests pass <paramref name="waitsInKernel"/>.
    /// </summary>
    public static (object? Result, Exception? Error, TimeSpan After) Inject(
        string op, Func<object?> blocked, Action fault, TimeSpan joinTimeout, Func<bool>? waitsInKernel = null)
    {
        object? result = null;
        Exception? error = null;
        var t = new Thread(() =>
        {
            try
            {
                result = blocked();
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        t.Start();
        var sw = Stopwatch.StartNew();
        bool Blocked() => (t.ThreadState & System.Threading.ThreadState.WaitSleepJoin) != 0 || waitsInKernel?.Invoke() == true;
        while (!Blocked() && t.IsAlive && sw.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Yield();
        }
        Assert.True(Blocked(), $"{op}: the thread never blocked");
        var woke = Stopwatch.StartNew();
        fault();
        Assert.True(t.Join(joinTimeout), $"{op}: the blocked call was not woken by the fault");
        return (result, error, woke.Elapsed);
    }
}
