namespace Sockit.Services;

/// <summary>How a <see cref="Fanout"/> bounds each member's queue and when it gives up on a member. Immutable.</summary>
public sealed record FanoutOptions
{
    /// <summary>The defaults: a 4 MiB queue per member, cut after 10 s without progress.</summary>
    public static FanoutOptions Default { get; } = new();

    /// <summary>
    /// Encoded bytes a member may have queued (on top of its connection's output pipe and kernel buffers) before
    /// publishers wait for it. A frame is always queued whole, so a queue can exceed this by the frames published
    /// while it was full (one per publisher). Default 4 MiB.
    /// </summary>
    public long MaxQueuedBytes { get; init; } = 4 << 20;

    /// <summary>
    /// How long a member may keep its queue full without taking a byte before it is cut with a reset: the
    /// publishers waiting on it are released and its queued frames dropped. A member that drains, however slowly,
    /// is never cut. Default 10 s; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.
    /// </summary>
    public TimeSpan SlowConsumerTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// While there are no members, keep published frames (up to <see cref="MaxQueuedBytes"/>; then publishers
    /// wait) for the next member that joins, instead of discarding them. Default false (chat and broker:
    /// nobody is listening, nothing is owed); the stdin relay sets it.
    /// </summary>
    public bool KeepWhileEmpty { get; init; }
}
