using Sockit.Diagnostics;
using Sockit.Connections.Internal;

namespace Sockit.Connections;

public sealed partial class SocketServer
{
    // A burst smaller than this is not worth a full collection to give back.
    private const long BurstBytes = 32 << 20;

    private long _burstPeak;
    private long _calmSince;

    /// <summary>
    /// One timer for every connection: closes idle ones, resets those whose frame stalled past the frame timeout,
    /// and while the memory budget is spent, resets the connections that hold the most and stopped draining.
    /// </summary>
    private async Task HeartbeatAsync()
    {
        var period = TickPeriod();
        using var timer = new PeriodicTimer(period, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                var now = _clock.Milliseconds();
                foreach (var entry in _connections.Values)
                {
                    CheckTimeouts(entry.Connection, now);
                }

                CutStalledWhileOverBudget(now, (long)period.TotalMilliseconds);
                GiveBackAfterBurst(now);
                ReportHeldBackLines(force: false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private TimeSpan TickPeriod()
    {
        var shortest = new[] { _options.IdleTimeout, _options.FrameTimeout, TimeSpan.FromSeconds(1) }
            .Where(t => t > TimeSpan.Zero).Min();
        return TimeSpan.FromMilliseconds(Math.Clamp(shortest.TotalMilliseconds / 4, 10, 250));
    }

    private void CheckTimeouts(Connection connection, long now)
    {
        if (_options.FrameTimeout > TimeSpan.Zero && connection.PartialFrameMilliseconds(now) >= _options.FrameTimeout.TotalMilliseconds)
        {
            Cut(connection, CloseReasonKind.FrameTimeout, $"a frame started {_options.FrameTimeout.TotalSeconds:0.###} s ago and has not finished (frame timeout)");
        }
        else if (_options.IdleTimeout > TimeSpan.Zero && connection.IdleMilliseconds(now) >= _options.IdleTimeout.TotalMilliseconds)
        {
            var why = $"idle for {_options.IdleTimeout.TotalSeconds:0.###} s (idle timeout)";
            if (connection.IsSending)
            {
                Cut(connection, CloseReasonKind.IdleTimeout, why + " with data it never read");
            }
            else
            {
                connection.CloseNow(CloseReasonKind.IdleTimeout, why);
            }
        }
    }

    /// <summary>
    /// While the budget is spent, resets the connections that hold buffers and sent nothing for a tick, largest holders
    /// first, until what they hold would bring use back under 7/8 of the limit. Draining connections are never cut:
    /// with reading paused they free memory by themselves.
    /// </summary>
    private void CutStalledWhileOverBudget(long now, long tickMs)
    {
        // Reading resumes below 7/8 of the limit, so the cutting goes on until then too: stopped at the limit, it
        // left use between the two with every receive loop paused and nothing ever freeing memory.
        if (!Memory.IsExhausted && !Memory.HasPausedReceivers)
        {
            return;
        }

        var stalled = _connections.Values.Select(c => c.Connection)
            .Where(c => c.BufferedBytes > 0 && now - c.LastSentAt >= tickMs)
            .OrderByDescending(c => c.BufferedBytes);
        var excess = Memory.Used - (Memory.Limit - (Memory.Limit >> 3));
        foreach (var connection in stalled)
        {
            if (excess <= 0)
            {
                break;
            }

            excess -= connection.BufferedBytes;
            Cut(connection, CloseReasonKind.SlowConsumer,
                $"holding {connection.BufferedBytes >> 10} KiB and not draining while all connections' buffers are over the {Memory.Limit >> 20} MiB memory budget (slow consumer)");
        }
    }

    /// <summary>
    /// After a burst (buffers past <see cref="BurstBytes"/>), once they have held under an eighth of its peak for
    /// 5 s: empties the segment pool and runs one compacting, decommitting collection, so the process's RSS comes
    /// back down instead of staying at the burst's high-water mark until some later gen 2 collection.
    /// </summary>
    private void GiveBackAfterBurst(long now)
    {
        var used = Memory.Used;
        _burstPeak = Math.Max(_burstPeak, used);
        if (used >= _burstPeak / 8)
        {
            _calmSince = now;
            return;
        }

        if (_burstPeak >= BurstBytes && now - _calmSince >= 5_000)
        {
            var pooled = SegmentPool.Shared.Trim();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            Log.MemoryGivenBack(_logger, _burstPeak >> 20, pooled >> 20);
            _burstPeak = used;
        }
    }

    /// <summary>Counts the warnings a flood held back once their second is over, so a flood that stops is still counted.</summary>
    private void ReportHeldBackLines(bool force)
    {
        foreach (var (throttle, kind) in new[] { (_refusedLog, "refused"), (_failedLog, "connection failed or reset"), (_acceptLog, "accept failed") })
        {
            if (throttle.TakeHeldBack(force) is > 0 and var count)
            {
                Log.HeldBack(_logger, count, kind);
            }
        }
    }

    private void Cut(Connection connection, CloseReasonKind kind, string why)
    {
        if (connection.IsAborted)
        {
            return;
        }

        connection.Abort(kind, why);
        if (_failedLog.TryEnter(out var suppressed))
        {
            Log.ConnectionFailed(_logger, connection, "reset: " + why + LogThrottle.Suffix(suppressed));
        }
    }
}
