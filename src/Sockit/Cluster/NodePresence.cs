namespace Sockit.Cluster;

/// <summary>
/// The other nodes of a room and their member counts, each valid until its expiry (its presence key's time to
/// live, renewed by every heartbeat and every message from that node), so a node that dies leaves the count within
/// the presence expiry even while Redis is unreachable. A count is stamped with the node's message sequence when
/// it was taken, so an older stamp (a presence key read after a newer message) never replaces a newer one. Thread-safe.
/// </summary>
internal sealed class NodePresence(TimeSpan expiry)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ulong, (int Count, ulong Stamp, long ExpiresAt)> _nodes = [];
    private readonly long _expiryMs = (long)expiry.TotalMilliseconds;

    /// <summary>The members on other nodes, counting only nodes not expired at <paramref name="now"/> (<see cref="Environment.TickCount64"/>).</summary>
    public int Count(long now)
    {
        var total = 0;
        lock (_gate)
        {
            foreach (var (count, _, expiresAt) in _nodes.Values)
            {
                if (expiresAt > now)
                {
                    total += count;
                }
            }
        }

        return total;
    }

    /// <summary>Node <paramref name="node"/> is alive at <paramref name="now"/> and had <paramref name="count"/> members when its sequence was <paramref name="stamp"/>.</summary>
    public void Seen(ulong node, int count, ulong stamp, long now)
    {
        lock (_gate)
        {
            _nodes[node] = _nodes.TryGetValue(node, out var known) && known.Stamp > stamp
                ? known with { ExpiresAt = now + _expiryMs }
                : (count, stamp, now + _expiryMs);
        }
    }

    /// <summary>Node <paramref name="node"/> is gone (it said so, or its key expired).</summary>
    public void Remove(ulong node)
    {
        lock (_gate)
        {
            _nodes.Remove(node);
        }
    }

    /// <summary>The nodes known now, expired ones included (for the heartbeat to check against Redis).</summary>
    public ulong[] Nodes()
    {
        lock (_gate)
        {
            return [.. _nodes.Keys];
        }
    }
}
