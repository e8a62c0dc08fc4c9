using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sockit.Diagnostics;
using Sockit.Framing;

namespace Sockit.Tcp;

/// <summary>
/// A TCP server: bind, listen, accept concurrently, hand each connection to a handler, enforce the
/// connection limit and idle timeout, and stop gracefully (stop accepting, drain, then close).
/// Start it once; stop it once (<see cref="StopAsync"/> or <see cref="DisposeAsync"/>).
/// </summary>
public sealed class TcpServer : IAsyncDisposable
{
    private readonly TcpServerOptions _options;
    private readonly ITcpConnectionHandler _handler;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, (TcpConnection Connection, Task Task)> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private Task _heartbeat = Task.CompletedTask;
    private int _stopped;
    private long _rejected;

    /// <summary>Creates a server; nothing is bound until <see cref="Start"/>.</summary>
    public TcpServer(TcpServerOptions options, ITcpConnectionHandler handler, ILogger? logger = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The bound address, with the real port when port 0 was asked. Valid after <see cref="Start"/>.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)(_listener?.LocalEndPoint ?? throw new InvalidOperationException("the server is not started"));

    /// <summary>Connections open now.</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>Clients closed at once because <see cref="TcpServerOptions.MaxConnections"/> was reached.</summary>
    public long RejectedCount => Interlocked.Read(ref _rejected);

    /// <summary>Binds, listens and starts accepting.</summary>
    /// <exception cref="TcpException">The address is in use, not available here, or not permitted.</exception>
    public void Start()
    {
        var endPoint = _options.EndPoint;
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true; // [::] serves IPv4 clients too.
            }

            // No ReuseAddress: on Linux .NET maps it to SO_REUSEPORT too, which would let a second server
            // share a port that is in use instead of failing with "address already in use".
            socket.Bind(endPoint);
            socket.Listen(_options.Backlog);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw TcpException.From(ex.SocketErrorCode, endPoint.ToString(), "listen on", ex);
        }

        _listener = socket;
        Log.Listening(_logger, LocalEndPoint, _options.Backlog);
        _acceptLoop = AcceptLoopAsync(socket);
        if (_options.IdleTimeout != Timeout.InfiniteTimeSpan)
        {
            _heartbeat = HeartbeatAsync();
        }
    }

    /// <summary>
    /// Stops: no new connections; handlers see their stopping token and finish the frame at hand; queued
    /// data is sent; after <see cref="TcpServerOptions.DrainTimeout"/> the rest is closed. Idempotent.
    /// </summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            await _acceptLoop.ConfigureAwait(false);
            return;
        }

        _listener?.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        Log.Stopping(_logger, _connections.Count, _options.DrainTimeout);
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _heartbeat.ConfigureAwait(false);

        var all = Task.WhenAll(_connections.Values.Select(c => c.Task));
        try
        {
            await all.WaitAsync(_options.DrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            foreach (var (connection, _) in _connections.Values)
            {
                connection.Abort(CloseReasonKind.ServerStopping, $"the server stopped and the {_options.DrainTimeout.TotalSeconds:0.#} s drain deadline passed");
            }

            await all.ConfigureAwait(false);
        }
    }

    /// <inheritdoc cref="StopAsync"/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ObjectDisposedException || (ex is SocketException && Volatile.Read(ref _stopped) == 1))
            {
                return; // StopAsync closed the listener.
            }
            catch (SocketException ex)
            {
                // EMFILE and friends: say so and keep serving the clients we have.
                Log.AcceptFailed(_logger, ex.Message, ex);
                await Task.Delay(50).ConfigureAwait(false);
                continue;
            }

            if (_connections.Count >= _options.MaxConnections)
            {
                Reject(client);
                continue;
            }

            var connection = new TcpConnection(client, _options.Connection, _logger);
            SockitMetrics.AcceptedConnections.Add(1);

            // Registered before it starts (so its removal can never come first), and started on the thread
            // pool (so a handler that blocks before its first await never stalls accepting).
            var run = new Task<Task>(() => RunConnectionAsync(connection));
            _connections[connection.Id] = (connection, run.Unwrap());
            Log.Accepted(_logger, connection.RemoteEndPoint, _connections.Count);
            run.Start(TaskScheduler.Default);
        }
    }

    private void Reject(Socket client)
    {
        Interlocked.Increment(ref _rejected);
        SockitMetrics.RejectedConnections.Add(1);
        Log.Rejected(_logger, client.RemoteEndPoint!, _options.MaxConnections);
        client.Dispose();
    }

    private async Task RunConnectionAsync(TcpConnection connection)
    {
        connection.Start();
        try
        {
            await _handler.HandleAsync(connection, _stopping.Token).ConfigureAwait(false);
        }
        catch (FrameException ex)
        {
            SockitMetrics.BadFrames.Add(1);
            if (connection.TrySetCloseReason(CloseReasonKind.BadFrame, "bad frame: " + ex.Message, ex))
            {
                Log.ConnectionFailed(_logger, connection.RemoteEndPoint, "bad frame: " + ex.Message);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            connection.TrySetCloseReason(CloseReasonKind.ServerStopping, "the server is stopping");
        }
        catch (Exception ex)
        {
            if (connection.TrySetCloseReason(CloseReasonKind.Error, ex.Message, ex))
            {
                Log.ConnectionFailed(_logger, connection.RemoteEndPoint, ex.Message);
            }
        }
        finally
        {
            await connection.CloseAsync(_options.DrainTimeout).ConfigureAwait(false);
            _connections.TryRemove(connection.Id, out _);
        }
    }

    /// <summary>Closes connections idle for longer than the idle timeout; one timer for all of them.</summary>
    private async Task HeartbeatAsync()
    {
        var idle = (long)_options.IdleTimeout.TotalMilliseconds;
        var period = TimeSpan.FromMilliseconds(Math.Clamp(idle / 4, 10, 1000));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                var now = Environment.TickCount64;
                foreach (var (connection, _) in _connections.Values)
                {
                    if (connection.IdleMilliseconds(now) >= idle)
                    {
                        connection.Abort(CloseReasonKind.IdleTimeout, $"idle for {_options.IdleTimeout.TotalSeconds:0.###} s (idle timeout)");
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
