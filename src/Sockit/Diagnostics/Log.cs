using System.Net;
using Microsoft.Extensions.Logging;
using Sockit.Connections;

namespace Sockit.Diagnostics;

/// <summary>
/// Source-generated log messages with stable event ids. The texts narrate the lifecycle in the course's terms
/// (listen, accept, recv returning 0, FIN, reset), which is what <c>sockit -v</c> prints.
/// </summary>
internal static partial class Log
{
    /// <summary>What a new connection's log line adds: TCP's handshake is the lesson; a Unix socket has none.</summary>
    public static string HandshakeNote(Connection connection) => connection.RemoteEndPoint is IPEndPoint ? " (three-way handshake done)" : "";

    [LoggerMessage(1, LogLevel.Debug, "listening on {EndPoint} (backlog {Backlog})")]
    public static partial void Listening(ILogger logger, string endPoint, int backlog);

    [LoggerMessage(2, LogLevel.Information, "accepted {Remote}{Handshake}, {Active} connection(s) open")]
    public static partial void Accepted(ILogger logger, Connection remote, string handshake, long active);

    [LoggerMessage(3, LogLevel.Warning, "refused {Remote}: {Why}; reset at once{Suppressed}")]
    public static partial void Rejected(ILogger logger, string remote, string why, string suppressed);

    [LoggerMessage(4, LogLevel.Information, "{Remote}: received FIN (peer half-closed: recv returned 0)")]
    public static partial void ReceivedFin(ILogger logger, Connection remote);

    [LoggerMessage(5, LogLevel.Information, "{Remote}: sent FIN (our side half-closed, all queued data sent)")]
    public static partial void SentFin(ILogger logger, Connection remote);

    [LoggerMessage(6, LogLevel.Information, "{Remote}: closed ({Reason}); {BytesIn} bytes in, {BytesOut} bytes out")]
    public static partial void Closed(ILogger logger, Connection remote, string reason, long bytesIn, long bytesOut);

    [LoggerMessage(7, LogLevel.Warning, "{Remote}: {Reason}")]
    public static partial void ConnectionFailed(ILogger logger, Connection remote, string reason);

    [LoggerMessage(8, LogLevel.Information, "stopping: no new connections, draining {Count} connection(s) for up to {DeadlineSeconds} s")]
    public static partial void Stopping(ILogger logger, int count, double deadlineSeconds);

    [LoggerMessage(9, LogLevel.Information, "connected to {Remote} from {Local}{Handshake}")]
    public static partial void Connected(ILogger logger, Connection remote, string local, string handshake);

    [LoggerMessage(11, LogLevel.Information, "{Remote}: {Reason}")]
    public static partial void ConnectionReset(ILogger logger, Connection remote, string reason);

    [LoggerMessage(10, LogLevel.Warning, "accept failed: {Message}; {Open} connection(s) still served, ulimit -n is {Limit}; accepting again in {BackoffMs} ms{Suppressed}")]
    public static partial void AcceptPaused(ILogger logger, string message, int open, int limit, double backoffMs, string suppressed);

    [LoggerMessage(12, LogLevel.Warning, "max connections {Max} is more than the file descriptor limit allows (ulimit -n {Limit}): serving at most {Allowed} at once; raise ulimit -n for more")]
    public static partial void AboveDescriptorLimit(ILogger logger, int max, int limit, int allowed);

    [LoggerMessage(13, LogLevel.Debug, "stopped: {Reset} connection(s) reset by this server with data unsent or unread, {Dropped} queued byte(s) never delivered")]
    public static partial void StopSummary(ILogger logger, long reset, long dropped);

    [LoggerMessage(14, LogLevel.Information, "the burst is over (buffers peaked at {PeakMiB} MiB): {PooledMiB} MiB of free segments and the heap given back to the system")]
    public static partial void MemoryGivenBack(ILogger logger, long peakMiB, long pooledMiB);

    [LoggerMessage(15, LogLevel.Warning, "{Count} more '{Kind}' line(s) held back in the last second (rate limit)")]
    public static partial void HeldBack(ILogger logger, long count, string kind);

    [LoggerMessage(20, LogLevel.Warning, "{Remote}: slow consumer cut with a reset: its queue stayed full ({Dropped} bytes dropped) with no progress for {Seconds} s")]
    public static partial void SlowConsumerCut(ILogger logger, Connection remote, long dropped, double seconds);

    [LoggerMessage(21, LogLevel.Information, "{Remote}: TLS established: {Version}, {Cipher}, ALPN {Alpn}, {Certificate}")]
    public static partial void TlsEstablished(ILogger logger, Connection remote, string version, string cipher, string alpn, string certificate);

    [LoggerMessage(22, LogLevel.Information, "{Remote}: received close_notify or FIN (peer finished sending)")]
    public static partial void ReceivedCloseNotify(ILogger logger, Connection remote);

    [LoggerMessage(23, LogLevel.Information, "{Remote}: sent close_notify (all queued data sent; FIN follows)")]
    public static partial void SentCloseNotify(ILogger logger, Connection remote);

    [LoggerMessage(24, LogLevel.Information, "{Remote}: closed: {Reason}")]
    public static partial void HandshakeFailed(ILogger logger, Connection remote, string reason);

    [LoggerMessage(25, LogLevel.Information, "{Remote}: close_notify could not be sent ({Reason}); sent FIN alone, still reading")]
    public static partial void CloseNotifyFailed(ILogger logger, Connection remote, string reason);
}
