using System.Buffers;
using Sockit.Connections;

namespace Sockit.Services;

/// <summary>
/// The seam under chat and broker: a room whose members may be connected to this process or to other nodes.
/// The services join and leave their local members through <see cref="Members"/> (where the per-member queues and
/// the slow-consumer rules live, always local) and publish through the room, which delivers to the local members
/// and, for a room that spans nodes, to the other nodes' members. Implementations: <see cref="LocalRoom"/> (one
/// process) and <see cref="Cluster.RedisRoom"/> (Redis pub/sub). Thread-safe.
/// </summary>
public interface IFanoutRoom
{
    /// <summary>This node's members: their queues, pumps and counters.</summary>
    Fanout Members { get; }

    /// <summary>
    /// Members in the room on every node this node knows to be alive (its own counted now, the others' as they last
    /// reported, for at most the presence expiry).
    /// </summary>
    int Count { get; }

    /// <summary>
    /// Delivers <paramref name="payload"/> as one frame to every member of the room but <paramref name="sender"/>
    /// (a local member, or null for the node itself), then waits as <see cref="Fanout.PublishAsync(in ReadOnlySequence{byte}, Connection?, CancellationToken)"/>
    /// does for the local members. Each sender's frames reach every member in the order published.
    /// </summary>
    /// <exception cref="ArgumentException">The framing cannot carry this payload; nothing was delivered.</exception>
    ValueTask PublishAsync(in ReadOnlySequence<byte> payload, Connection? sender, CancellationToken cancellationToken = default);
}
