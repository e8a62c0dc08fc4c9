using System.Diagnostics;

namespace Sockit.Load;

/// <summary>
/// The run's clock and stop flags, shared by every connection: replies received inside
/// [<see cref="MeasureStart"/>, <see cref="MeasureEnd"/>] are counted and timed; the rest are only checked.
/// </summary>
internal sealed class LoadPhase
{
    private volatile bool _stopping;
    private volatile bool _aborted;

    public LoadPhase(TimeSpan warmup, TimeSpan duration)
    {
        Started = Stopwatch.GetTimestamp();
        MeasureStart = Started + ToTimestamp(warmup);
        MeasureEnd = MeasureStart + ToTimestamp(duration);
    }

    /// <summary>When the load started (a <see cref="Stopwatch"/> timestamp).</summary>
    public long Started { get; }

    /// <summary>When the warm-up ends and measuring starts.</summary>
    public long MeasureStart { get; }

    /// <summary>When measuring ends and no new messages are sent.</summary>
    public long MeasureEnd { get; }

    /// <summary>Set when the duration is over: senders stop, receivers drain what is in flight.</summary>
    public bool Stopping => _stopping;

    /// <summary>Set when sockets are being closed under the loops (drain timeout, cancellation): their errors are expected.</summary>
    public bool Aborted => _aborted;

    /// <summary>
    /// Stops the senders and returns how long the measured window was: all of it, or, when the run
    /// <paramref name="endedEarly"/> (every connection failed), up to now.
    /// </summary>
    public TimeSpan Stop(bool endedEarly)
    {
        _stopping = true;
        var end = endedEarly ? Math.Min(Stopwatch.GetTimestamp(), MeasureEnd) : MeasureEnd;
        return end > MeasureStart ? Stopwatch.GetElapsedTime(MeasureStart, end) : TimeSpan.Zero;
    }

    public void Abort()
    {
        _aborted = true;
        _stopping = true;
    }

    public bool IsMeasured(long timestamp) => timestamp >= MeasureStart && timestamp <= MeasureEnd;

    private static long ToTimestamp(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
