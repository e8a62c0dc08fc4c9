using Microsoft.Extensions.Logging;

namespace Sockit.Diagnostics;

internal static partial class Log
{
    [LoggerMessage(90, LogLevel.Information, "backplane: connected to redis at {Redis} as node {Node}")]
    public static partial void BackplaneConnected(ILogger logger, string redis, string node);

    [LoggerMessage(91, LogLevel.Information, "backplane: room '{Room}' on channel {Channel}; presence expires after {ExpirySeconds} s without a heartbeat")]
    public static partial void BackplaneRoomOpened(ILogger logger, string room, string channel, double expirySeconds);

    [LoggerMessage(92, LogLevel.Warning, "backplane: lost redis at {Redis} ({Failure}): this node's members are still served, other nodes are not reached until it is back; reconnecting with backoff{Suppressed}")]
    public static partial void BackplaneLost(ILogger logger, string redis, string failure, string suppressed);

    [LoggerMessage(93, LogLevel.Information, "backplane: redis at {Redis} still unreachable ({Failure}); retrying")]
    public static partial void BackplaneStillDown(ILogger logger, string redis, string failure);

    [LoggerMessage(94, LogLevel.Warning, "backplane: redis at {Redis} is back after {Seconds} s; {NotSent} message(s) were not sent to other nodes meanwhile (at-most-once across nodes)")]
    public static partial void BackplaneRestored(ILogger logger, string redis, double seconds, long notSent);

    [LoggerMessage(95, LogLevel.Warning, "backplane: {Count} message(s) from this node never reached the other nodes (redis at {Redis} was unreachable)")]
    public static partial void BackplaneNeverSent(ILogger logger, long count, string redis);

    [LoggerMessage(96, LogLevel.Warning, "backplane: room '{Room}': a message from another node was not delivered here: {Reason}{Suppressed}")]
    public static partial void BackplaneUndeliverable(ILogger logger, string room, string reason, string suppressed);
}
