using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Sockit.Diagnostics;
using Sockit.Connections.Internal;

namespace Sockit.Connections;

/// <summary>
/// One stream-socket connection (TCP or a Unix domain socket): a receive loop (socket → <see cref="Input"/>) and a
/// send loop (<see cref="Output"/> → socket) over bounded pipes, and one owner of shutdown (Kestrel's
/// <c>SocketConnection</c> is the model). The application reads <see cref="Input"/> and
/// writes <see cref="Output"/>; each side has one reader and one writer at a time.
/// </summary>
/// <remarks>
/// <para>Half-close: when the peer sends FIN, <see cref="Input"/> ends (its read result is completed) while
/// <see cref="Output"/> still works. Completing <see cref="Output"/> sends everything queued, then a FIN, and
/// the peer's replies can still be read from <see cref="Input"/>.</para>
/// <para>The loops never throw: whatever ends one (a reset, an observer that throws) becomes the
/// <see cref="CloseReason"/> (the first reason recorded wins) and completes its pipe with the error. When both
/// loops have ended the socket is closed and <see cref="Closed"/> completes, whether or not anyone calls
/// <see cref="CloseAsync"/>.</para>
/// <para>Memory: an idle connection holds no buffer (it waits for data with a zero-byte receive, as Kestrel
/// does); buffered bytes are counted in whole pooled segments (<see cref="BufferedBytes"/>) and charged to the
/// options' <see cref="ConnectionOptions.MemoryBudget"/>.</para>
/// </remarks>
public sealed partial class SocketConnection : Connection
{
    private readonly Socket _socket;
    private readonly ConnectionOptions _options;
    private readonly ILogger _logger;
    private readonly SockitMetrics _metrics;
    private readonly ConnectionPipes _pipes;
    private readonly Lock _gate = new();
    private TaskCompletionSource? _closed; // made when first asked for (at the close, usually), so an idle connection holds none
    private CancellationTokenSource? _socketClosing; // made when a loop first waits on something other than the socket
    private Task _sendLoop = Task.CompletedTask;
    private int _loopsRunning = 2;
    private CloseReason? _closeReason;
    private bool _shut;
    private bool _socketClosed;
    private volatile bool _reset;
    private volatile bool _receivedFin;
    private volatile bool _peerEnded;
    private long _lastActivity;
    private long _lastSent;

    internal SocketConnection(Socket socket, ConnectionOptions options, ILogger logger, SockitMetrics metrics)
    {
        _socket = socket;
        _metrics = metrics;
        _options = options;
        _logger = logger;
        if (socket.ProtocolType == ProtocolType.Tcp)
        {
            _socket.NoDelay = options.NoDelay; // TCP only: a Unix domain socket has no Nagle algorithm (and throws).
        }

        _pipes = new ConnectionPipes(options);
        Id = NextId();
        RemoteEndPoint = Unmap(socket.RemoteEndPoint);
        LocalEndPoint = Unmap(socket.LocalEndPoint);
        ConnectedAt = DateTimeOffset.UtcNow;
        PeerCredentials = UnixPeerCredentials.Of(socket);
        _lastActivity = _lastSent = options.Clock.Milliseconds();
    }

    /// <inheritdoc/>
    public override long Id { get; }

    /// <inheritdoc/>
    internal override SockitMetrics Metrics => _metrics;

    /// <summary>The peer's address and port (an IPv4 peer of a dual-stack listener as plain IPv4).</summary>
    public override EndPoint RemoteEndPoint { get; }

    /// <inheritdoc/>
    public override EndPoint LocalEndPoint { get; }

    /// <summary>The peer process of a Unix domain socket (SO_PEERCRED); null over TCP.</summary>
    public UnixPeerCredentials? PeerCredentials { get; }

    /// <summary>The peer as logs show it; an unnamed Unix peer by its process: <c>unix peer (pid 42, uid 1000, gid 1000)</c>.</summary>
    public override string ToString() =>
        PeerCredentials is { } peer && RemoteEndPoint is UnixDomainSocketEndPoint { } unix && unix.ToString().Length == 0
            ? $"unix peer ({peer})"
            : base.ToString();

    /// <inheritdoc/>
    public override DateTimeOffset ConnectedAt { get; }

    /// <inheritdoc/>
    public override PipeReader Input => _pipes.Reader;

    /// <inheritdoc/>
    public override PipeWriter Output => _pipes.Output.Writer;

    /// <inheritdoc/>
    public override CloseReason? CloseReason
    {
        get
        {
            lock (_gate)
            {
                return _closeReason;
            }
        }
    }

    /// <inheritdoc/>
    public override long BytesReceived => _pipes.BytesReceived;

    /// <inheritdoc/>
    public override long BytesSent => _pipes.BytesSent;

    /// <inheritdoc/>
    public override long BytesDropped => _pipes.BytesDropped;

    /// <inheritdoc/>
    public override long BufferedBytes => _pipes.Pool.Held;

    /// <inheritdoc/>
    public override Task Closed => ClosedSource.Task;

    /// <inheritdoc/>
    public override bool IsAborted => _reset;

    /// <inheritdoc/>
    internal override long IdleMilliseconds(long now) => now - Volatile.Read(ref _lastActivity);

    /// <inheritdoc cref="ConnectionPipes.PartialFrameMilliseconds"/>
    internal override long PartialFrameMilliseconds(long now) => _pipes.PartialFrameMilliseconds(now);

    /// <inheritdoc/>
    internal override bool IsSending => _pipes.IsSending;

    /// <inheritdoc/>
    internal override long LastSentAt => Volatile.Read(ref _lastSent);

    /// <inheritdoc/>
    internal override void PeerEnded() => _peerEnded = true;

    /// <summary>Starts the receive and send loops.</summary>
    internal void Start()
    {
        _metrics.ActiveConnections.Add(1);
        _ = ReceiveLoopAsync();
        _sendLoop = SendLoopAsync();
    }

    /// <inheritdoc/>
    public override bool TrySetCloseReason(CloseReasonKind kind, string message, Exception? exception = null)
    {
        lock (_gate)
        {
            if (_closeReason is not null)
            {
                return false;
            }

            _closeReason = new CloseReason(kind, message, exception);
            return true;
        }
    }

    /// <summary>
    /// Closes at once with a reset: records the reason (if first), drops whatever is still queued and closes the
    /// socket abortively (SO_LINGER 0), so the peer sees RST (<c>ECONNRESET</c>), not a clean FIN, and knows data
    /// was lost. Reads of <see cref="Input"/> end. Safe to call from any thread, any number of times.
    /// </summary>
    public override void Abort(CloseReasonKind kind, string message, Exception? exception = null) => Shut(kind, message, exception, reset: true);

    /// <summary>
    /// Closes at once without a reset (shutdown, so the peer sees FIN): for a connection with nothing left to say,
    /// such as one idle past its timeout. Reads of <see cref="Input"/> end.
    /// </summary>
    internal override void CloseNow(CloseReasonKind kind, string message) => Shut(kind, message, null, reset: false);

    /// <summary>
    /// Closes gracefully: completes <see cref="Output"/> and <see cref="Input"/>, lets the send loop deliver
    /// what is queued and send FIN, then closes the socket. After <paramref name="drainTimeout"/> (default:
    /// no limit) whatever is still queued is dropped and the connection reset.
    /// </summary>
    public override async ValueTask CloseAsync(TimeSpan? drainTimeout = null)
    {
        await _pipes.Output.Writer.CompleteAsync().ConfigureAwait(false);
        await _pipes.Reader.CompleteAsync().ConfigureAwait(false);
        try
        {
            await _sendLoop.WaitAsync(drainTimeout ?? Timeout.InfiniteTimeSpan).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Abort(CloseReasonKind.LimitReached, $"queued data not sent within {drainTimeout?.TotalSeconds:0.###} s: the peer stopped reading");
        }

        CloseSocket(reset: false);
        await Closed.ConfigureAwait(false);
    }

    private void Shut(CloseReasonKind kind, string message, Exception? exception, bool reset)
    {
        TrySetCloseReason(kind, message, exception);
        lock (_gate)
        {
            if (_shut)
            {
                return;
            }

            _shut = true;
            // After the peer's own reset the connection is gone: aborting it resets nothing, and is not counted as ours.
            _reset = reset && CloseReason is not { Kind: CloseReasonKind.Reset };
        }

        CloseSocket(reset);

        _pipes.CancelPending();
    }

    private void CloseSocket(bool reset)
    {
        lock (_gate)
        {
            if (_socketClosed)
            {
                return;
            }

            _socketClosed = true;
        }

        try
        {
            // Closing with bytes the application never read makes the kernel send RST (RFC 2525 §2.17): that is a
            // reset from this side, and data was lost, so it is recorded as one. Not after the peer's own reset: the
            // connection is already gone, and the bytes it left unread are not ours to count as a reset.
            if (!reset && CloseReason is not { Kind: CloseReasonKind.Reset } && _socket.Available > 0)
            {
                reset = true;
                _reset = true;
            }

            if (reset)
            {
                // SO_LINGER on with a zero timeout: close() discards the send queue and sends RST. What TCP had not yet
                // got acknowledged is lost with it, and counted (less our FIN, which takes a sequence number too).
                if (_socket.ProtocolType == ProtocolType.Tcp && SendQueue.Unconfirmed(_socket) is > 0 and var unacknowledged)
                {
                    _pipes.CountDropped(unacknowledged - (_sentFin ? 1 : 0));
                }

                _socket.LingerState = new LingerOption(true, 0);
            }
            else
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
        }
        catch (SocketException)
        {
            // Already reset or never fully connected: nothing to shut down.
        }

        _socket.Dispose();
        CancellationTokenSource? waking;
        lock (_gate)
        {
            waking = _socketClosing;
        }

        waking?.Cancel();
    }

    /// <summary>
    /// Cancelled when the socket is closed: wakes a loop waiting on the memory budget or a timer. Made on first use,
    /// since most connections never wait on either (an idle connection's memory is what the server pays per client).
    /// </summary>
    private CancellationToken SocketClosingToken
    {
        get
        {
            lock (_gate)
            {
                return _socketClosed ? new CancellationToken(canceled: true) : (_socketClosing ??= new()).Token;
            }
        }
    }

    /// <summary>
    /// Called by each loop as it ends; the last one closes the socket and completes <see cref="Closed"/>. (A counter
    /// rather than a task awaiting both loops: that would be one more parked state machine per idle connection.)
    /// </summary>
    private void LoopEnded()
    {
        if (Interlocked.Decrement(ref _loopsRunning) != 0)
        {
            return;
        }

        var peerEnded = _receivedFin || _peerEnded;
        TrySetCloseReason(peerEnded ? CloseReasonKind.PeerClosed : CloseReasonKind.LocalClosed,
            peerEnded ? "peer closed the connection" : "closed by this side");
        CloseSocket(reset: false);
        _metrics.ActiveConnections.Add(-1);
        Log.Closed(_logger, this, CloseReason?.Message ?? "closed", BytesReceived, BytesSent);
        ClosedSource.TrySetResult();
    }

    private TaskCompletionSource ClosedSource =>
        _closed ?? Interlocked.CompareExchange(ref _closed, new(TaskCreationOptions.RunContinuationsAsynchronously), null) ?? _closed;

    private void Touch() => Volatile.Write(ref _lastActivity, _options.Clock.Milliseconds());

    private bool IsClosing
    {
        get
        {
            lock (_gate)
            {
                return _shut || _socketClosed;
            }
        }
    }

    /// <summary>Records an unexpected failure of a loop (not a socket error) as the close reason.</summary>
    private Exception Fail(Exception ex, string loop)
    {
        if (TrySetCloseReason(CloseReasonKind.Error, $"{loop} failed: {ex.Message}", ex))
        {
            Log.ConnectionFailed(_logger, this, $"{loop} failed: {ex.Message}");
        }

        return ex;
    }

    /// <summary>Maps a socket failure on a live connection to a close reason and a typed exception.</summary>
    private ConnectionException Fail(SocketException ex, string action)
    {
        var error = ConnectionException.From(ex.SocketErrorCode, RemoteEndPoint.ToString() ?? "?", action, ex);
        var kind = error.Kind is ConnectionErrorKind.Reset or ConnectionErrorKind.BrokenPipe ? CloseReasonKind.Reset : CloseReasonKind.Error;
        if (TrySetCloseReason(kind, error.Message, error))
        {
            // A peer that resets is everyday life for a server (port probes, killed clients): narrated under -v,
            // not a warning.
            if (kind == CloseReasonKind.Reset)
            {
                Log.ConnectionReset(_logger, this, error.Message);
            }
            else
            {
                Log.ConnectionFailed(_logger, this, error.Message);
            }
        }

        return error;
    }

    // An IPv4 peer of a dual-stack socket reads as 127.0.0.1:PORT, never [::ffff:127.0.0.1]:PORT.
    private static EndPoint Unmap(EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint { Address.IsIPv4MappedToIPv6: true } ip => new IPEndPoint(ip.Address.MapToIPv4(), ip.Port),
        null => new IPEndPoint(IPAddress.None, 0),
        _ => endPoint,
    };
}
