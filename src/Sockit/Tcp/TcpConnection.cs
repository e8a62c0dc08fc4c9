using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Sockit.Diagnostics;

namespace Sockit.Tcp;

/// <summary>
/// One TCP connection: a receive loop (socket → <see cref="Input"/>) and a send loop (<see cref="Output"/> →
/// socket) over bounded pipes, and one owner of shutdown. The application reads <see cref="Input"/> and
/// writes <see cref="Output"/>; each side has one reader and one writer at a time.
/// </summary>
/// <remarks>
/// <para>Half-close: when the peer sends FIN, <see cref="Input"/> ends (its read result is completed) while
/// <see cref="Output"/> still works. Completing <see cref="Output"/> sends everything queued, then a FIN, and
/// the peer's replies can still be read from <see cref="Input"/>.</para>
/// <para>The first close reason recorded wins and stays in <see cref="CloseReason"/>.</para>
/// </remarks>
public sealed partial class TcpConnection : IAsyncDisposable
{
    private static long s_nextId;

    private readonly Socket _socket;
    private readonly TcpConnectionOptions _options;
    private readonly ILogger _logger;
    private readonly Pipe _input;
    private readonly Pipe _output;
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _receiveLoop = Task.CompletedTask;
    private Task _sendLoop = Task.CompletedTask;
    private CloseReason? _closeReason;
    private bool _aborted;
    private bool _disposed;
    private volatile bool _receivedFin;
    private long _lastActivity;
    private long _lastSent;
    private long _bytesReceived;
    private long _bytesSent;

    internal TcpConnection(Socket socket, TcpConnectionOptions options, ILogger logger)
    {
        _socket = socket;
        _options = options;
        _logger = logger;
        _socket.NoDelay = options.NoDelay;
        _input = new Pipe(options.InputPipeOptions);
        _output = new Pipe(options.OutputPipeOptions);
        Id = Interlocked.Increment(ref s_nextId);
        RemoteEndPoint = socket.RemoteEndPoint ?? new IPEndPoint(IPAddress.None, 0);
        LocalEndPoint = socket.LocalEndPoint ?? new IPEndPoint(IPAddress.None, 0);
        ConnectedAt = DateTimeOffset.UtcNow;
        _lastActivity = Environment.TickCount64;
    }

    /// <summary>A process-wide sequence number, for logs.</summary>
    public long Id { get; }

    /// <summary>The peer's address and port.</summary>
    public EndPoint RemoteEndPoint { get; }

    /// <summary>This end's address and port.</summary>
    public EndPoint LocalEndPoint { get; }

    /// <summary>When the handshake completed.</summary>
    public DateTimeOffset ConnectedAt { get; }

    /// <summary>Bytes received from the peer. Completes when the peer half-closes (FIN) or the connection ends.</summary>
    public PipeReader Input => _input.Reader;

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

    /// <summary>Completes when the socket is closed and both loops have ended.</summary>
    public Task Closed => _closed.Task;

    /// <summary>Milliseconds since the last byte went either way.</summary>
    internal long IdleMilliseconds(long now) => now - Volatile.Read(ref _lastActivity);

    /// <summary>When a send to the socket last completed (<see cref="Environment.TickCount64"/>): how a slow consumer is told from a stopped one.</summary>
    internal long LastSentAt => Volatile.Read(ref _lastSent);

    /// <summary>Starts the receive and send loops.</summary>
    internal void Start()
    {
        SockitMetrics.ActiveConnections.Add(1);
        _receiveLoop = ReceiveLoopAsync();
        _sendLoop = SendLoopAsync();
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
    public void Abort(CloseReasonKind kind, string message, Exception? exception = null)
    {
        TrySetCloseReason(kind, message, exception);
        lock (_gate)
        {
            if (_aborted)
            {
                return;
            }

            _aborted = true;
        }

        CloseSocket(reset: true);
    }

    /// <summary>
    /// Closes gracefully: completes <see cref="Output"/> and <see cref="Input"/>, lets the send loop deliver
    /// what is queued and send FIN, then closes the socket. After <paramref name="drainTimeout"/> (default:
    /// no limit) whatever is still queued is dropped and the connection aborted.
    /// </summary>
    public async ValueTask CloseAsync(TimeSpan? drainTimeout = null)
    {
        await _output.Writer.CompleteAsync().ConfigureAwait(false);
        await _input.Reader.CompleteAsync().ConfigureAwait(false);
        try
        {
            await _sendLoop.WaitAsync(drainTimeout ?? Timeout.InfiniteTimeSpan).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Abort(CloseReasonKind.LimitReached, $"queued data not sent within {drainTimeout}: the peer stopped reading");
        }

        if (_receivedFin)
        {
            TrySetCloseReason(CloseReasonKind.PeerClosed, "peer closed the connection");
        }
        else
        {
            TrySetCloseReason(CloseReasonKind.LocalClosed, "closed by this side");
        }
        CloseSocket(reset: false);
        await _receiveLoop.ConfigureAwait(false);
        await _sendLoop.ConfigureAwait(false);
        Finish();
    }

    /// <summary>Closes gracefully with no drain limit (see <see cref="CloseAsync"/>).</summary>
    public ValueTask DisposeAsync() => CloseAsync();

    private void CloseSocket(bool reset)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        try
        {
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
    }

    private void Finish()
    {
        if (_closed.TrySetResult())
        {
            SockitMetrics.ActiveConnections.Add(-1);
            Log.Closed(_logger, RemoteEndPoint, CloseReason?.Message ?? "closed", BytesReceived, BytesSent);
        }
    }

    private void Touch() => Volatile.Write(ref _lastActivity, Environment.TickCount64);

    private bool IsAborted
    {
        get
        {
            lock (_gate)
            {
                return _aborted || _disposed;
            }
        }
    }

    /// <summary>Maps a socket failure on a live connection to a close reason and a typed exception.</summary>
    private TcpException Fail(SocketException ex, string action)
    {
        var error = TcpException.From(ex.SocketErrorCode, RemoteEndPoint.ToString() ?? "?", action, ex);
        var kind = error.Kind is TcpErrorKind.Reset or TcpErrorKind.BrokenPipe ? CloseReasonKind.Reset : CloseReasonKind.Error;
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
}
