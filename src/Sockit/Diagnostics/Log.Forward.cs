using Microsoft.Extensions.Logging;
using Sockit.Connections;

namespace Sockit.Diagnostics;

/// <summary>The forwarder's log messages (event ids 60–69).</summary>
internal static partial class Log
{
    [LoggerMessage(60, LogLevel.Warning, "{Client}: target {Target} failed: {Reason}; client reset{Suppressed}")]
    public static partial void ForwardTargetFailed(ILogger logger, Connection client, string target, string reason, string suppressed);

    [LoggerMessage(61, LogLevel.Information, "#{Id} {Client}: forwarding to {Target} from {Local}")]
    public static partial void ForwardConnected(ILogger logger, long id, Connection client, string target, string local);

    [LoggerMessage(62, LogLevel.Information, "#{Id} {Client}: {Direction} ended with FIN; FIN relayed after {Bytes} byte(s)")]
    public static partial void ForwardFinRelayed(ILogger logger, long id, Connection client, string direction, long bytes);

    [LoggerMessage(63, LogLevel.Information, "#{Id} {Client}: {Direction} ended: {Reason}; reset relayed")]
    public static partial void ForwardResetRelayed(ILogger logger, long id, Connection client, string direction, string reason);

    [LoggerMessage(64, LogLevel.Information, "#{Id} {Client}: forward closed ({Reason}); client>target {ToTarget} byte(s), target>client {ToClient} byte(s)")]
    public static partial void ForwardClosed(ILogger logger, long id, Connection client, string reason, long toTarget, long toClient);

    [LoggerMessage(65, LogLevel.Warning, "#{Id} {Client}: the traffic observer failed ({Reason}); it is off for this connection, the traffic goes on")]
    public static partial void ForwardObserverFailed(ILogger logger, long id, Connection client, string reason);
}
