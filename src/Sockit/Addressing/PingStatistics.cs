namespace Sockit.Addressing;

/// <summary>
/// The summary <c>ping</c> prints: probes sent and answered, loss, and min/avg/max/mdev of the round trips.
/// <c>mdev</c> is computed as iputils does, sqrt(mean(rtt²) − mean(rtt)²): the population standard deviation.
/// </summary>
/// <remarks>Not thread-safe: one pinger adds to it, in order.</remarks>
public sealed class PingStatistics
{
    private double _sumMs;
    private double _sumSquaresMs;

    /// <summary>Probes sent.</summary>
    public int Sent { get; private set; }

    /// <summary>Probes answered.</summary>
    public int Received { get; private set; }

    /// <summary>Lost probes as a percentage of <see cref="Sent"/> (0 when nothing was sent).</summary>
    public double LossPercent => Sent == 0 ? 0 : 100.0 * (Sent - Received) / Sent;

    /// <summary>The fastest round trip; <see cref="TimeSpan.Zero"/> until one arrives.</summary>
    public TimeSpan Min { get; private set; }

    /// <summary>The slowest round trip; <see cref="TimeSpan.Zero"/> until one arrives.</summary>
    public TimeSpan Max { get; private set; }

    /// <summary>The mean round trip.</summary>
    public TimeSpan Average => Received == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(_sumMs / Received);

    /// <summary>The mean deviation as ping reports it (population standard deviation).</summary>
    public TimeSpan MeanDeviation
    {
        get
        {
            if (Received == 0)
            {
                return TimeSpan.Zero;
            }

            var mean = _sumMs / Received;
            return TimeSpan.FromMilliseconds(Math.Sqrt(Math.Max(0, (_sumSquaresMs / Received) - (mean * mean))));
        }
    }

    /// <summary>Records one probe: its round trip, or null when it was lost.</summary>
    public void Add(TimeSpan? roundTrip)
    {
        Sent++;
        if (roundTrip is not { } rtt)
        {
            return;
        }

        Received++;
        Min = Received == 1 || rtt < Min ? rtt : Min;
        Max = rtt > Max ? rtt : Max;
        _sumMs += rtt.TotalMilliseconds;
        _sumSquaresMs += rtt.TotalMilliseconds * rtt.TotalMilliseconds;
    }
}
