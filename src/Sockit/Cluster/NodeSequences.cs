namespace Sockit.Cluster;

/// <summary>
/// The last sequence delivered from each other node, so a message is delivered at most once and never before one
/// its node published earlier (Redis pub/sub keeps a publisher's order; this makes that a checked fact, not a hope),
/// and a gap (messages lost while a node or Redis was unreachable) is counted. Not thread-safe: one receive loop owns it.
/// </summary>
internal sealed class NodeSequences
{
    private readonly Dictionary<ulong, ulong> _last = [];

    /// <summary>Messages never seen: sequence numbers skipped over by a later one.</summary>
    public long Missed { get; private set; }

    /// <summary>True when <paramref name="sequence"/> from <paramref name="node"/> is new and later than every one delivered from it.</summary>
    public bool TryAccept(ulong node, ulong sequence)
    {
        if (_last.TryGetValue(node, out var last))
        {
            if (sequence <= last)
            {
                return false;
            }

            Missed += (long)(sequence - last - 1);
        }

        _last[node] = sequence;
        return true;
    }

    /// <summary>Forgets <paramref name="node"/> (it left the room, or its presence expired).</summary>
    public void Forget(ulong node) => _last.Remove(node);
}
