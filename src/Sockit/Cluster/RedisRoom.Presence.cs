using System.Globalization;
using StackExchange.Redis;

namespace Sockit.Cluster;

/// <summary>Presence: this node's member count in Redis, renewed by a heartbeat, and the other nodes' counts read back.</summary>
public sealed partial class RedisRoom
{
    /// <summary>Renews this node's presence now instead of at the next heartbeat.</summary>
    internal void Heartbeat()
    {
        try
        {
            _beat.Release();
        }
        catch (SemaphoreFullException)
        {
            // One is already asked for.
        }
    }

    /// <summary>Every third of the presence expiry (or when asked): renews this node's presence and reads the others'.</summary>
    private async Task HeartbeatAsync()
    {
        var interval = _expiry / 3;
        try
        {
            while (true)
            {
                try
                {
                    await BeatAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    // Redis is unreachable: the connection events have said so; the others' counts expire here by themselves.
                }

                await _beat.WaitAsync(interval, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task BeatAsync()
    {
        ulong stamp;
        lock (_order)
        {
            stamp = _sequence;
        }

        var self = _owner.NodeId;
        await Task.WhenAll(
            _database.StringSetAsync(_nodeKeyPrefix + self, FormattableString.Invariant($"{stamp}:{Members.Count}"), _expiry),
            _database.SetAddAsync(_nodesKey, self)).ConfigureAwait(false);
        var nodes = (await _database.SetMembersAsync(_nodesKey).ConfigureAwait(false)).Select(id => id.ToString()).Where(id => id != self).ToArray();
        var values = await _database.StringGetAsync([.. nodes.Select(id => (RedisKey)(_nodeKeyPrefix + id))]).ConfigureAwait(false);
        var now = Environment.TickCount64;
        for (var i = 0; i < nodes.Length; i++)
        {
            if (!ulong.TryParse(nodes[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var node))
            {
                continue;
            }

            var value = values[i].ToString().Split(':');
            if (values[i].IsNull || value.Length != 2 || !ulong.TryParse(value[0], CultureInfo.InvariantCulture, out var seq) || !int.TryParse(value[1], CultureInfo.InvariantCulture, out var count))
            {
                // Its key expired: the node is gone (or never finished joining). It leaves the count now.
                _presence.Remove(node);
                await _database.SetRemoveAsync(_nodesKey, nodes[i]).ConfigureAwait(false);
                continue;
            }

            _presence.Seen(node, count, seq, now);
        }
    }
}
