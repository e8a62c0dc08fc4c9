using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Sockit.Diagnostics;
using Sockit.Connections.Internal;

namespace Sockit.Connections;

/// <summary>
/// One TCP connection: a receive loop (socket → <see cref="Input"/>) and a send loop (<see cref="Output"/> →
/// socket) over bounded pipes, and one owner of shutdown. The application reads <see cref="Input"/> and
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
public sealed partial class SocketConnection : IAsyncDisposable
{
    private static long s_nextId;

    private readonly Socket _socket;
    private readonly ConnectionOptions _options;
    private readonly ILogger _logger;
    private readonly CountingMemoryPool _pool;
    private readonly Pipe _input;
    private readonly Pipe _output;
    private readonly FrameClockReader _inputReader;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _socketClosing = new(); // wakes a receive loop waiting for the memory budget
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _sendLoop = Task.CompletedTask;
    private CloseReason? _closeReason;
    private bool _shut;
    private bool _socketClosed;
    private volatile bool _reset;
    private volatile bool _receivedFin;
    private volatile bool _sending;
    private volatile bool _receivePaused;
    private long _receiveResumedAt;
    private long _lastActivity;
    private long _lastSent;
    private long _bytesReceived;
    private long _bytesSent;
    private long _bytesDropped;

    internal SocketConnection(Socket socket, ConnectionOptions options, ILogger logger)
    {
        _socket = socket;
        _options = options;
        _logger = logger;
        _socket.NoDelay = options.NoDelay;
        _pool = new CountingMemoryPool(options.MemoryBudget, options.MinimumReceiveSize);
        _input = new Pipe(options.InputPipeOptions(_pool));
        _output = new Pipe(options.OutputPipeOptions(_pool));
        _inputReader = new FrameClockReader(_input.Reader);
        Id = Interlocked.Increment(ref s_nextId);
        RemoteEndPoint = Unmap(socket.RemoteEndPoint);
        LocalEndPoint = Unmap(socket.LocalEndPoint);
        ConnectedAt = DateTimeOffset.UtcNow;
        _lastActivity = _lastSent = Environment.TickCount64;
    }

    /// <summary>A process-wide sequence number, for logs.</summary>
    public long Id { get; }

    /// <summary>The peer's address and port (an IPv4 peer of a dual-stack listener as plain IPv4).</summary>
    public EndPoint RemoteEndPoint { get; }

    /// <summary>This end's address and port.</summary>
    public EndPoint LocalEndPoint { get; }

    /// <summary>When the handshake completed.</summary>
    public DateTimeOffset ConnectedAt { get; }

    /// <summary>Bytes received from the peer. Completes when the peer half-closes (FIN) or the connection ends.</summary>
    public PipeReader Input => _inputReader;

    /// <summary>Bytes to send. Flushing waits when more than the output threshold is queued; completing it sends FIN.</summary>
    public PipeWriter Output => _output.Writer;

    /// <summary>Why the connection ended (or is ending); null while it is healthy.</summary>
    public CloseReason? CloseReason
    {
        get
        {
            lock (_gate)
            {
                return _closeReason;
            }
        }
    }

    /// <summary>Bytes received so far.</summary>
    public long BytesReceived => Volatile.Read(ref _bytesReceived);

    /// <summary>Bytes sent so far.</summary>
    public long BytesSent => Volatile.Read(ref _bytesSent);

    /// <summary>
    /// Bytes the application queued that were never sent because the connection was aborted or failed
    /// (counted when the send loop ends; 0 for a connection that delivered everything).
    /// </summary>
    public long BytesDropped => Volatile.Read(ref _bytesDropped);

    /// <summary>Bytes of pooled memory this connection's buffers hold now (whole segments, both directions).</summary>
    public long BufferedBytes => _pool.Held;

    /// <summary>Completes when the socket is closed and both loops have ended. Never faults.</summary>
    public Task Closed => _closed.Task;

    /// <summary>True once <see cref="Abort"/> has been called: the connection was (or is being) reset from this side.</summary>
    public bool IsAborted => _reset;

    /// <summary>Milliseconds since the last byte went either way.</summary>
    internal long IdleMilliseconds(long now) => now - Volatile.Read(ref _lastActivity);

    /// <summary>
    /// Milliseconds the application has been holding an unfinished frame while waiting on the peer (0 when none).
    /// Time the receive loop spent paused because the application had not caught up (backpressure) does not count:
    /// the clock restarts when reading resumes, so a peer held back by us is never taken for a slowloris. A pause
    /// for the memory budget does count, or slowlorises that fill the budget would shield themselves.
    /// </summary>
    internal long PartialFrameMilliseconds(long now) =>
        _receivePaused ? 0 : Math.Min(_inputReader.PartialFrameMilliseconds(now), now - Volatile.Read(ref _receiveResumedAt));

    /// <summary>True while the send loop is handing bytes to the kernel (so something queued is not yet sent).</summary>
    internal bool IsSending => _sending;

    /// <summary>
    /// When a send to the socket last completed, or the connection was made (<see cref="Environment.TickCount64"/>):
    /// how a slow consumer is told from a stopped one.
    /// </summary>
    internal long LastSentAt => Volatile.Read(ref _lastSent);

    /// <summary>Starts the receive and send loops.</summary>
    internal void Start()
    {
        SockitMetrics.ActiveConnections.Add(1);
        var receiveLoop = ReceiveLoopAsync();
        _sendLoop = SendLoopAsync();
        _ = FinishWhenDoneAsync(receiveLoop, _sendLoop);
    }

    /// <summary>
    /// Records <paramref name="kind"/> as the close reason unless one is already recorded (the first wins).
    /// Returns whether this call set it.
    /// </summary>
    public bool TrySetCloseReason(CloseReasonKind kind, string message, Exception? exception = null)
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
    public void Abort(CloseReasonKind kind, string message, Exception? exception = null) => Shut(kind, message, exception, reset: true);

    /// <summary>
    /// Closes at once without a reset (shutdown, so the peer sees FIN): for a connection with nothing left to say,
    /// such as one idle past its timeout. Reads of <see cref="Input"/> end.
    /// </summary>
    internal void CloseNow(CloseReasonKind kind, string message) => Shut(kind, message, null, reset: false);

    /// <summary>
    /// Closes gracefully: completes <see cref="Output"/> and <see cref="Input"/>, lets the send loop deliver
    /// what is queued and send FIN, then closes the socket. After <paramref name="drainTimeout"/> (default:
    /// no limit) whatever is still queued is dropped and the connection reset.
    /// </summary>
    public async ValueTask CloseAsync(TimeSpan? drainTimeout = null)
    {
        await _output.Writer.CompleteAsync().ConfigureAwait(false);
        await _inputReader.CompleteAsync().ConfigureAwait(false);
        try
        {
            await _sendLoop.WaitAsync(drainTimeout ?? Timeout.InfiniteTimeSpan).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Abort(CloseReasonKind.LimitReached, $"queued data not sent within {drainTimeout?.TotalSeconds:0.###} s: the peer stopped reading");
        }

        CloseSocket(reset: false);
        await _closed.Task.ConfigureAwait(false);
    }

    /// <summary>Closes gracefully with no drain limit (see <see cref="CloseAsync"/>).</summary>
    public ValueTask DisposeAsync() => CloseAsync();

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
            _reset = reset;
        }

        CloseSocket(reset);

        // Wake both loops wherever they wait: the send loop on an empty output, the receive loop on a full input.
        _output.Reader.CancelPendingRead();
        _input.Writer.CancelPendingFlush();
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
            // reset from this side, and data was lost, so it is recorded as one.
            if (!reset && _socket.Available > 0)
            {
                reset = true;
                _reset = true;
            }

            if (reset)
            {
                // SO_LINGER on with a zero timeout: close() discards the send queue and sends RST.
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
        _socketClosing.Cancel();
    }

    private async Task FinishWhenDoneAsync(Task receiveLoop, Task sendLoop)
    {
        await Task.WhenAll(receiveLoop, sendLoop).ConfigureAwait(false);
        TrySetCloseReason(_receivedFin ? CloseReasonKind.PeerClosed : CloseReasonKind.LocalClosed,
            _receivedFin ? "peer closed the connection" : "closed by this side");
        CloseSocket(reset: false);
        SockitMetrics.ActiveConnections.Add(-1);
        Log.Closed(_logger, RemoteEndPoint, CloseReason?.Message ?? "closed", BytesReceived, BytesSent);
        _closed.TrySetResult();
    }

    private void Touch() => Volatile.Write(ref _lastActivity, Environment.TickCount64);

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
            Log.ConnectionFailed(_logger, RemoteEndPoint, $"{loop} failed: {ex.Message}");
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
                Log.ConnectionReset(_logger, RemoteEndPoint, error.Message);
            }
            else
            {
                Log.ConnectionFailed(_logger, RemoteEndPoint, error.Message);
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
