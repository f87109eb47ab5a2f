using System.Diagnostics;

namespace Netty.PySocket.Socket;

/// <summary>
/// When a blocking call gives up: never (blocking mode), at once (non-blocking mode) or at an instant (timeout
/// mode). One type for all three modes is what lets one code path serve them (the doc's "unification").
/// </summary>
internal readonly struct Deadline
{
    readonly long expiresAt; // Stopwatch ticks; long.MaxValue = never; 0 = already expired (non-blocking)

    Deadline(long expiresAt) => this.expiresAt = expiresAt;

    public static readonly Deadline Never = new(long.MaxValue);
    public static readonly Deadline Now = new(0);

    /// <summary>From a Python timeout: null blocks forever, 0 never blocks, otherwise seconds from now.</summary>
    public static Deadline FromTimeout(double? seconds) => seconds switch
    {
        null => Never,
        <= 0 => Now,
        double s => new Deadline(Stopwatch.GetTimestamp() + (long)Math.Min(s * Stopwatch.Frequency, long.MaxValue / 2)),
    };

    public bool IsNonBlocking => expiresAt == 0;
    public bool IsInfinite => expiresAt == long.MaxValue;

    /// <summary>Milliseconds left, capped at <paramref name="cap"/>; 0 when expired.</summary>
    public int RemainingMilliseconds(int cap)
    {
        if (expiresAt == long.MaxValue) return cap;
        long left = expiresAt - Stopwatch.GetTimestamp();
        if (left <= 0) return 0;
        long ms = (left * 1000 + Stopwatch.Frequency - 1) / Stopwatch.Frequency;
        return (int)Math.Min(ms, cap);
    }

    public bool Expired => expiresAt != long.MaxValue && Stopwatch.GetTimestamp() >= expiresAt;
}
