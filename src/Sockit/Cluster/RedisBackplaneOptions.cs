using StackExchange.Redis;

namespace Sockit.Cluster;

/// <summary>How a <see cref="RedisBackplane"/> reaches Redis and keeps presence. Immutable (the Redis options are copied when used).</summary>
public sealed record RedisBackplaneOptions
{
    /// <summary>The Redis to use (see <see cref="RedisAddress.Parse"/>). Its backlog policy, reconnect policy and client name are set by the backplane.</summary>
    public required ConfigurationOptions Redis { get; init; }

    /// <summary>
    /// How long a node's presence (its member count) lives in Redis without a heartbeat; a heartbeat renews it every
    /// third of this, so a node that dies leaves the count within this time plus a third. Default 15 s; at least 300 ms.
    /// </summary>
    public TimeSpan PresenceExpiry { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The prefix of every channel and key the backplane uses. Default <c>sockit:</c>.</summary>
    public string KeyPrefix { get; init; } = "sockit:";

    /// <summary>
    /// Bytes of messages waiting to be published to Redis before a publisher waits (this node's members are served
    /// first, the wait only slows the sender). Default 16 MiB.
    /// </summary>
    public long MaxPendingBytes { get; init; } = 16 << 20;
}
