using Sockit.Diagnostics;

namespace Sockit.Tcp;

public sealed partial class TcpServer
{
    private readonly Dictionary<long, long> _sentAtLastTick = [];

    /// <summary>
    /// One timer for every connection: closes idle ones, resets those whose frame stalled past the frame timeout,
    /// and while the memory budget is spent, resets the connections that hold the most and stopped draining.
    /// </summary>
    private async Task HeartbeatAsync()
    {
        using var timer = new PeriodicTimer(TickPeriod());
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                var now = Environment.TickCount64;
                foreach (var (connection, _) in _connections.Values)
                {
                    CheckTimeouts(connection, now);
                }

                CutStalledWhileOverBudget();
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

    private void CheckTimeouts(TcpConnection connection, long now)
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
    /// While the budget is spent, resets the connections that sent nothing since the last tick, largest holders
    /// first, until what they hold would bring use back under 7/8 of the limit. Draining connections are never
    /// cut: with reading paused they free memory by themselves.
    /// </summary>
    private void CutStalledWhileOverBudget()
    {
        var stalled = new List<TcpConnection>();
        foreach (var (connection, _) in _connections.Values)
        {
            var sent = connection.BytesSent;
            if (_sentAtLastTick.TryGetValue(connection.Id, out var before) && before == sent && connection.BufferedBytes > 0)
            {
                stalled.Add(connection);
            }

            _sentAtLastTick[connection.Id] = sent;
        }

        foreach (var id in _sentAtLastTick.Keys.Where(id => !_connections.ContainsKey(id)).ToList())
        {
            _sentAtLastTick.Remove(id);
        }

        if (!Memory.IsExhausted)
        {
            return;
        }

        var excess = Memory.Used - (Memory.Limit - (Memory.Limit >> 3));
        foreach (var connection in stalled.OrderByDescending(c => c.BufferedBytes))
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

    private void Cut(TcpConnection connection, CloseReasonKind kind, string why)
    {
        if (connection.IsAborted)
        {
            return;
        }

        connection.Abort(kind, why);
        if (_failedLog.TryEnter(out var suppressed))
        {
            Log.ConnectionFailed(_logger, connection.RemoteEndPoint, "reset: " + why + LogThrottle.Suffix(suppressed));
        }
    }
}
