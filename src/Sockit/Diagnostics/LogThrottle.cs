namespace Sockit.Diagnostics;

/// <summary>
/// Lets one line of a kind through per period and counts the rest, so a flood (a slowloris, descriptors running
/// out) costs one line a second that says how many it stands for, not thousands. Thread-safe.
/// </summary>
internal sealed class LogThrottle(TimeSpan period)
{
    private readonly long _periodMs = (long)period.TotalMilliseconds;
    private long _next;
    private long _suppressed;

    /// <summary>The default: one line a second.</summary>
    public static LogThrottle PerSecond() => new(TimeSpan.FromSeconds(1));

    /// <summary>
    /// True when a line may be written now; <paramref name="suppressed"/> is then how many were held back since
    /// the last one. False (and counted) otherwise.
    /// </summary>
    public bool TryEnter(out long suppressed)
    {
        var now = Environment.TickCount64;
        var next = Volatile.Read(ref _next);
        if (now < next || Interlocked.CompareExchange(ref _next, now + _periodMs, next) != next)
        {
            Interlocked.Increment(ref _suppressed);
            suppressed = 0;
            return false;
        }

        suppressed = Interlocked.Exchange(ref _suppressed, 0);
        return true;
    }

    /// <summary>
    /// Lines held back and not yet reported, once their period is over (at once with <paramref name="force"/>, at
    /// shutdown), so a flood that ends inside one period is still counted. Returns 0 when there is nothing to report.
    /// </summary>
    public long TakeHeldBack(bool force = false)
    {
        if (Volatile.Read(ref _suppressed) == 0 || (!force && Environment.TickCount64 < Volatile.Read(ref _next)))
        {
            return 0;
        }

        Volatile.Write(ref _next, Environment.TickCount64 + _periodMs);
        return Interlocked.Exchange(ref _suppressed, 0);
    }

    /// <summary>" (+N like it since the last line)" when lines were held back, else empty.</summary>
    public static string Suffix(long suppressed) => suppressed > 0 ? $" (+{suppressed} like it since the last such line)" : "";
}
