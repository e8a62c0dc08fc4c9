namespace Sockit.Udp;

/// <summary>Session expiry and the once-a-second drop report.</summary>
public sealed partial class UdpForwarder
{
    private static readonly TimeSpan ReportPeriod = TimeSpan.FromSeconds(1);

    /// <summary>Expires idle sessions every quarter of the idle timeout (10 ms to 1 s) and reports drops at most once a second.</summary>
    private async Task HousekeepAsync(CancellationToken cancellationToken)
    {
        var idle = _options.IdleTimeout;
        var period = idle == Timeout.InfiniteTimeSpan
            ? ReportPeriod
            : TimeSpan.FromMilliseconds(Math.Clamp(idle.TotalMilliseconds / 4, 10, ReportPeriod.TotalMilliseconds));
        using var timer = new PeriodicTimer(period);
        var nextReport = Environment.TickCount64 + (long)ReportPeriod.TotalMilliseconds;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var now = Environment.TickCount64;
                List<UdpForwardSession>? expired;
                lock (_gate)
                {
                    expired = TakeIdle(now);
                }

                Expire(expired);
                if (now >= nextReport)
                {
                    nextReport = now + (long)ReportPeriod.TotalMilliseconds;
                    ReportDrops();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: RunAsync reports what is left.
        }
    }

    /// <summary>Removes the sessions idle for the idle timeout; called under the gate. Null when none.</summary>
    private List<UdpForwardSession>? TakeIdle(long now)
    {
        if (_options.IdleTimeout == Timeout.InfiniteTimeSpan)
        {
            return null;
        }

        var limit = (long)_options.IdleTimeout.TotalMilliseconds;
        List<UdpForwardSession>? idle = null;
        foreach (var session in _sessions.Values)
        {
            if (session.IdleMilliseconds(now) >= limit)
            {
                (idle ??= []).Add(session);
            }
        }

        foreach (var session in idle ?? [])
        {
            _sessions.Remove(session.ClientAddress);
        }

        return idle;
    }

    /// <summary>Closes sessions taken by <see cref="TakeIdle"/> (their reply loops end by themselves) and says so.</summary>
    private void Expire(List<UdpForwardSession>? expired)
    {
        foreach (var session in expired ?? [])
        {
            session.Endpoint.Dispose();
            Interlocked.Increment(ref _sessionsExpired);
            _observer.OnSessionExpired(session, _options.IdleTimeout);
        }
    }

    /// <summary>Tells the observer what was dropped since the last report, if anything.</summary>
    private void ReportDrops()
    {
        var drops = new UdpForwardDrops(
            Interlocked.Exchange(ref _noSession, 0),
            Interlocked.Exchange(ref _noSessionBytes, 0),
            Interlocked.Exchange(ref _tooLarge, 0),
            Interlocked.Exchange(ref _targetUnreachable, 0),
            Interlocked.Exchange(ref _sendFailed, 0));
        if (!drops.IsEmpty)
        {
            _observer.OnDropped(drops, SessionCount);
        }
    }
}
