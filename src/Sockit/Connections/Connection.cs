using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Sockit.Diagnostics;

namespace Sockit.Connections;

/// <summary>
/// One connection, whatever carries it (TCP, a Unix domain socket, TLS over either): a duplex pipe of application
/// bytes, the two endpoints, a close reason, byte counts, half-close and abort. Every handler, the fan-out and the
/// CLI work against this type and never see a <c>Socket</c> or an <c>SslStream</c>. The model is Kestrel's
/// <c>ConnectionContext</c> (Microsoft.AspNetCore.Connections.Abstractions).
/// </summary>
/// <remarks>
/// <para>Implementations: <see cref="SocketConnection"/> (any stream socket) and <see cref="TlsConnection"/>
/// (middleware over another connection). The members that only the server's heartbeat needs are internal, so the
/// two implementations stay the only ones.</para>
/// <para>Half-close: when the peer finishes (FIN, or close_notify then FIN over TLS), <see cref="Input"/> ends while
/// <see cref="Output"/> still works. Completing <see cref="Output"/> sends what is queued, then the end of stream,
/// and the peer's replies can still be read.</para>
/// </remarks>
public abstract class Connection : IAsyncDisposable
{
    private static long s_nextId;

    private protected Connection()
    {
    }

    /// <summary>A process-wide sequence number, for logs. A <see cref="TlsConnection"/> keeps its transport's.</summary>
    public abstract long Id { get; }

    /// <summary>
    /// The peer: an <see cref="IPEndPoint"/> (an IPv4 peer of a dual-stack listener as plain IPv4) or a
    /// <see cref="System.Net.Sockets.UnixDomainSocketEndPoint"/> (usually unnamed for a client).
    /// </summary>
    public abstract EndPoint RemoteEndPoint { get; }

    /// <summary>This end: an <see cref="IPEndPoint"/> or a <see cref="System.Net.Sockets.UnixDomainSocketEndPoint"/>.</summary>
    public abstract EndPoint LocalEndPoint { get; }

    /// <summary>When the transport connection was made (the TCP handshake, or the Unix accept/connect).</summary>
    public abstract DateTimeOffset ConnectedAt { get; }

    /// <summary>Application bytes from the peer. Completes when the peer half-closes or the connection ends.</summary>
    public abstract PipeReader Input { get; }

    /// <summary>Application bytes to send. Flushing waits when too much is queued; completing it half-closes.</summary>
    public abstract PipeWriter Output { get; }

    /// <summary>Why the connection ended (or is ending); null while it is healthy.</summary>
    public abstract CloseReason? CloseReason { get; }

    /// <summary>Application bytes received so far.</summary>
    public abstract long BytesReceived { get; }

    /// <summary>Application bytes sent so far.</summary>
    public abstract long BytesSent { get; }

    /// <summary>
    /// Bytes the application queued that never reached the peer because the connection was aborted or failed (counted
    /// when sending ends; 0 for a connection that delivered everything). Over TCP this includes bytes already handed to
    /// the kernel but not yet acknowledged when a reset discarded them (<c>SIOCOUTQ</c>).
    /// </summary>
    public abstract long BytesDropped { get; }

    /// <summary>Bytes of pooled memory this connection's buffers hold now (whole segments, both directions, every layer).</summary>
    public abstract long BufferedBytes { get; }

    /// <summary>Completes when the connection is closed and all its loops have ended. Never faults.</summary>
    public abstract Task Closed { get; }

    /// <summary>True once the connection was (or is being) reset from this side; not when the peer reset it first.</summary>
    public abstract bool IsAborted { get; }

    /// <summary>
    /// Records <paramref name="kind"/> as the close reason unless one is already recorded (the first wins).
    /// Returns whether this call set it.
    /// </summary>
    public abstract bool TrySetCloseReason(CloseReasonKind kind, string message, Exception? exception = null);

    /// <summary>
    /// Closes at once with a reset: records the reason (if first), drops whatever is still queued and resets the
    /// transport (RST), so the peer knows data was lost. Reads of <see cref="Input"/> end. Safe from any thread,
    /// any number of times.
    /// </summary>
    public abstract void Abort(CloseReasonKind kind, string message, Exception? exception = null);

    /// <summary>
    /// Closes gracefully: completes <see cref="Output"/> and <see cref="Input"/>, sends what is queued and the end
    /// of stream, then closes. After <paramref name="drainTimeout"/> (default: no limit) whatever is still queued
    /// is dropped and the connection reset.
    /// </summary>
    public abstract ValueTask CloseAsync(TimeSpan? drainTimeout = null);

    /// <summary>Closes gracefully with no drain limit (see <see cref="CloseAsync"/>).</summary>
    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return CloseAsync();
    }

    /// <summary>Closes at once without a reset (the peer sees the end of stream): for a connection with nothing left to say.</summary>
    internal abstract void CloseNow(CloseReasonKind kind, string message);

    /// <summary>
    /// A layer above heard the peer end its side (TLS close_notify): when this side closes before the peer's FIN
    /// arrives, the close is still the peer's (<see cref="CloseReasonKind.PeerClosed"/>), not ours.
    /// </summary>
    internal abstract void PeerEnded();

    /// <summary>Milliseconds since the last byte went either way on the transport.</summary>
    internal abstract long IdleMilliseconds(long now);

    /// <summary>Milliseconds the application has held an unfinished frame while waiting on the peer (0 when none).</summary>
    internal abstract long PartialFrameMilliseconds(long now);

    /// <summary>True while bytes are being handed to the kernel (so something queued is not yet sent).</summary>
    internal abstract bool IsSending { get; }

    /// <summary>
    /// Hands one piece of <see cref="Output"/> (at most 256 KiB) to what is below: the socket, or SslStream. Called by
    /// the send loop only, one piece at a time; the transport's errors propagate.
    /// </summary>
    internal abstract ValueTask SendPieceAsync(ReadOnlySequence<byte> piece);

    /// <summary>The instruments this connection and its handler record on: its server's meter, or the process-wide one.</summary>
    internal virtual SockitMetrics Metrics => SockitMetrics.Default;

    /// <summary>When a send last completed, or the connection was made: milliseconds on the connection's clock
    /// (<see cref="Environment.TickCount64"/>, unless its server was given a <see cref="SocketServerOptions.TimeProvider"/>).</summary>
    internal abstract long LastSentAt { get; }

    /// <summary>The peer as logs show it: <c>127.0.0.1:5000</c>, <c>[::1]:5000</c>, <c>unix:/run/app.sock</c>.</summary>
    public override string ToString() => Describe(RemoteEndPoint);

    /// <summary>
    /// An endpoint as messages show it: an IP endpoint as <c>127.0.0.1:5000</c> or <c>[::1]:5000</c>, a Unix one as
    /// <c>unix:/path</c>, <c>unix:@name</c> or <c>unix:(unnamed)</c>.
    /// </summary>
    public static string Describe(EndPoint endPoint) => endPoint switch
    {
        System.Net.Sockets.UnixDomainSocketEndPoint unix => ConnectionEndpoint.Describe(unix),
        null => "?",
        _ => endPoint.ToString() ?? "?",
    };

    /// <summary>The next process-wide connection id.</summary>
    private protected static long NextId() => Interlocked.Increment(ref s_nextId);
}
