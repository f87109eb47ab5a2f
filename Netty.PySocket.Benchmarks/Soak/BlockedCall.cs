using System.Diagnostics;
using Netty.PySocket.Errors;

namespace Netty.PySocket.Benchmarks.Soak;

/// <summary>
/// A library call run on its own thread so the scenario can watch it block, then break it and time how long the
/// caller takes to get its error. Anything but a <see cref="PySocketException"/> escaping is recorded as a leak of
/// a .NET exception.
/// </summary>
public sealed class BlockedCall
{
    readonly Thread thread;
    readonly ManualResetEventSlim started = new(), ended = new();
    long endedAt;

    public BlockedCall(string name, Action call)
    {
        Name = name;
        thread = new Thread(() =>
        {
            started.Set();
            try
            {
                call();
                Outcome = "returned";
            }
            catch (PySocketException e)
            {
                Error = e;
                Outcome = $"{e.PythonTypeName}({(e.Errno is int n ? n + ", " : "")}{e.Message})";
            }
            catch (Exception e)
            {
                Leaked = e;
                Outcome = $".NET {e.GetType().Name}: {e.Message}";
            }
            endedAt = Stopwatch.GetTimestamp();
            ended.Set();
        }) { IsBackground = true, Name = "soak-" + name };
        thread.Start();
        started.Wait();
    }

    public string Name { get; }
    public string Outcome { get; private set; } = "still blocked";
    public PySocketException? Error { get; private set; }
    public Exception? Leaked { get; private set; }
    public bool Ended => ended.IsSet;

    /// <summary>True if the call is still running after <paramref name="wait"/> (it blocked, as it should).</summary>
    public bool StillBlockedAfter(TimeSpan wait) => !ended.Wait(wait);

    /// <summary>Seconds from <paramref name="since"/> (a Stopwatch timestamp) to the call's end, or NaN if it did not end within <paramref name="limit"/>.</summary>
    public double SecondsToEnd(long since, TimeSpan limit) =>
        ended.Wait(limit) ? Stopwatch.GetElapsedTime(since, endedAt).TotalSeconds : double.NaN;
}
