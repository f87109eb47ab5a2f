using System.Runtime.InteropServices;

namespace Netty.PySocket.Benchmarks.Soak;

/// <summary>RLIMIT_NOFILE: the soak holds ~2 descriptors per connection (both ends are in this process).</summary>
public static class NoFileLimit
{
    const int RLIMIT_NOFILE = 7;

    [StructLayout(LayoutKind.Sequential)]
    struct RLimit
    {
        public ulong Cur;
        public ulong Max;
    }

    [DllImport("libc", SetLastError = true)]
    static extern int getrlimit(int resource, out RLimit rlim);

    [DllImport("libc", SetLastError = true)]
    static extern int setrlimit(int resource, ref RLimit rlim);

    /// <summary>Raises the soft limit to the hard limit; returns (soft before, soft after, hard).</summary>
    public static (ulong Before, ulong After, ulong Hard) RaiseToHard()
    {
        if (getrlimit(RLIMIT_NOFILE, out var r) != 0) return (0, 0, 0);
        ulong before = r.Cur;
        if (r.Cur < r.Max)
        {
            var raised = new RLimit { Cur = r.Max, Max = r.Max };
            setrlimit(RLIMIT_NOFILE, ref raised);
        }
        getrlimit(RLIMIT_NOFILE, out var now);
        return (before, now.Cur, now.Max);
    }
}
