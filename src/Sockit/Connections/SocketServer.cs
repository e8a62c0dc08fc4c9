using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sockit.Addressing;
using Sockit.Diagnostics;
using Sockit.Framing;
using Sockit.Connections.Internal;

namespace Sockit.Connections;

/// <summary>
/// A stream-socket server, TCP or Unix domain, optionally with TLS: bind, listen, accept concurrently, run the TLS
/// handshake when <see cref="SocketServerOptions.Tls"/> is set, hand each connection to a handler, enforce the
/// limits (connections in all and per address, allow/deny lists, idle, frame and handshake timeouts, the memory
/// budget), and stop gracefully (stop accepting, drain, then reset what is left). Running out of file descriptors pauses accepting;
/// it never stops the server. Start it once; stop it once (<see cref="StopAsync"/> or <see cref="DisposeAsync"/>).
/// </summary>
public sealed partial class SocketServer : IAsyncDisposable
{
    private readonly SocketServerOptions _options;
    private readonly ConnectionOptions _connectionOptions;
    private readonly ConnectionOptions _transportOptions;
    private readonly SockitMetrics _metrics;
    private readonly TimeProvider _clock;
    private readonly IConnectionHandler _handler;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, Entry> _connections = new();
    private readonly ConcurrentDictionary<IPAddress, int> _perAddress = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly LogThrottle _refusedLog = LogThrottle.PerSecond();
    private readonly LogThrottle _failedLog = LogThrottle.PerSecond();
    private readonly LogThrottle _acceptLog = LogThrottle.PerSecond();
    private Socket? _listener;
    private string? _unixPath;
    private Task _acceptLoop = Task.CompletedTask;
    private Task _heartbeat = Task.CompletedTask;
    private int _stopped;
    private long _rejected;
    private long _refused;
    private long _reset;
    private long _bytesDropped;
    private long _handshakeFailures;

    /// <summary>Creates a server; nothing is bound until <see cref="Start"/>.</summary>
    public SocketServer(SocketServerOptions options, IConnectionHandler handler, ILogger? logger = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _metrics = SockitMetrics.For(options.MeterFactory);
        _clock = options.TimeProvider ?? TimeProvider.System;
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        _logger = logger ?? NullLogger.Instance;
        // A budget given in the connection options is shared with others (a forwarder's target connections).
        Memory = options.Connection.MemoryBudget ?? new MemoryBudget(options.MaxBufferedBytes);
        _connectionOptions = options.Connection with { MemoryBudget = Memory, Clock = _clock };

        // With TLS the transport carries ciphertext: --hex and other observers watch the plaintext layer instead.
        _transportOptions = options.Tls is null ? _connectionOptions : _connectionOptions with { Observer = null };
    }

    /// <summary>
    /// The bound address: an <see cref="IPEndPoint"/> with the real port when port 0 was asked, or the
    /// <see cref="UnixDomainSocketEndPoint"/>. Valid after <see cref="Start"/>.
    /// </summary>
    public EndPoint LocalEndPoint => _listener?.LocalEndPoint ?? throw new InvalidOperationException("the server is not started");

    /// <summary>The connection limit in force: <see cref="SocketServerOptions.MaxConnections"/>, or what the descriptors left allowed at <see cref="Start"/>.</summary>
    public int MaxConnections { get; private set; }

    /// <summary>Connections open now.</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>The memory all connections' buffers share (<see cref="SocketServerOptions.MaxBufferedBytes"/>).</summary>
    public MemoryBudget Memory { get; }

    /// <summary>Clients reset at once because <see cref="SocketServerOptions.MaxConnections"/> or the per-address limit was reached.</summary>
    public long RejectedCount => Interlocked.Read(ref _rejected);

    /// <summary>Clients reset at accept by <see cref="SocketServerOptions.Allow"/> or <see cref="SocketServerOptions.Deny"/>.</summary>
    public long RefusedCount => Interlocked.Read(ref _refused);

    /// <summary>Connections that ended with a reset from this side (timeouts, slow consumers, the drain deadline).</summary>
    public long ResetCount => Interlocked.Read(ref _reset);

    /// <summary>Clients closed because their TLS handshake failed or did not finish within the handshake timeout.</summary>
    public long HandshakeFailures => Interlocked.Read(ref _handshakeFailures);

    /// <summary>Bytes handlers queued that were never sent, over every finished connection.</summary>
    public long BytesDropped => Interlocked.Read(ref _bytesDropped);

    /// <summary>
    /// Binds, listens and starts accepting. A Unix socket path that exists is reused only when it is a stale socket
    /// (nobody listens there); the server removes its socket file when it stops.
    /// </summary>
    /// <exception cref="ConnectionException">The address is in use, not available here, or not permitted; or the Unix
    /// path exists and is not a socket.</exception>
    public void Start()
    {
        var endPoint = _options.EndPoint;
        var display = Connection.Describe(endPoint);
        var unixPath = UnixPathOf(endPoint);
        if (unixPath is not null)
        {
            UnixSocketFile.ClearStale(unixPath, display);
        }

        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, endPoint is IPEndPoint ? ProtocolType.Tcp : ProtocolType.Unspecified);
        try
        {
            if (endPoint is IPEndPoint ip && ip.Address.Equals(IPAddress.IPv6Any))
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
            throw ConnectionException.From(ex.SocketErrorCode, display, "listen on", ex);
        }

        _listener = socket;
        _unixPath = unixPath;
        Log.Listening(_logger, Connection.Describe(LocalEndPoint), _options.Backlog);
        // Never more than the descriptors left allow: a process that takes its last descriptor cannot start a thread
        // and is killed by the runtime (see FileDescriptorLimit), so a larger request is lowered, with a warning.
        var allowed = FileDescriptorLimit.ConnectionsAllowed(int.MaxValue);
        MaxConnections = Math.Min(_options.MaxConnections ?? FileDescriptorLimit.ConnectionsAllowed(), allowed);
        if (_options.MaxConnections > allowed)
        {
            Log.AboveDescriptorLimit(_logger, _options.MaxConnections.Value, FileDescriptorLimit.Current, allowed);
        }

        _acceptLoop = AcceptLoopAsync(socket);
        _heartbeat = HeartbeatAsync();
    }

    /// <summary>
    /// Stops: no new connections; handlers see their stopping token and finish the frame at hand; queued
    /// data is sent; after <see cref="SocketServerOptions.DrainTimeout"/> the rest is reset. <see cref="ResetCount"/> and
    /// <see cref="BytesDropped"/> then say what was lost over the server's life (also logged). Idempotent.
    /// </summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            await _acceptLoop.ConfigureAwait(false);
            return;
        }

        _listener?.Dispose();
        if (_unixPath is not null)
        {
            UnixSocketFile.Remove(_unixPath);
        }

        await _acceptLoop.ConfigureAwait(false);
        Log.Stopping(_logger, _connections.Count, _options.DrainTimeout.TotalSeconds);
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _heartbeat.ConfigureAwait(false);

        var all = Task.WhenAll(_connections.Values.Select(c => c.Run));
        try
        {
            await all.WaitAsync(_options.DrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            foreach (var entry in _connections.Values)
            {
                entry.Connection.Abort(CloseReasonKind.ServerStopping, $"the server stopped and the {_options.DrainTimeout.TotalSeconds:0.#} s drain deadline passed");
            }

            await all.ConfigureAwait(false);
        }

        ReportHeldBackLines(force: true);
        if (ResetCount > 0 || BytesDropped > 0)
        {
            Log.StopSummary(_logger, ResetCount, BytesDropped);
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
        using var spare = new SpareDescriptors();
        var backoff = TimeSpan.Zero;
        while (true)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync().ConfigureAwait(false);
                backoff = TimeSpan.Zero;
            }
            catch (Exception ex) when (ex is ObjectDisposedException || (ex is SocketException && Volatile.Read(ref _stopped) == 1))
            {
                return; // StopAsync closed the listener.
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionAborted or SocketError.ConnectionReset)
            {
                continue; // The client gave up before we took it: nothing to serve.
            }
            catch (SocketException ex)
            {
                // EMFILE/ENFILE (TooManyOpenSockets), ENOBUFS: hand the spare descriptors back so the runtime can
                // still start threads, keep serving the clients we have, and retry, backing off to once a second.
                spare.Release();
                backoff = TimeSpan.FromMilliseconds(Math.Clamp(backoff.TotalMilliseconds * 2, 50, 1000));
                if (_acceptLog.TryEnter(out var suppressed))
                {
                    Log.AcceptPaused(_logger, ex.Message, _connections.Count, FileDescriptorLimit.Current, backoff.TotalMilliseconds, LogThrottle.Suffix(suppressed));
                }

                try
                {
                    await Task.Delay(backoff, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                spare.TryReacquire();
                continue;
            }

            Admit(client);
        }
    }

    private void Admit(Socket client)
    {
        // Address rules apply to IP peers; a Unix peer (null here) is on this machine and passed the socket file's permissions.
        var remote = client.RemoteEndPoint is IPEndPoint ip ? ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address : null;
        if (remote is not null && !IsAllowed(remote))
        {
            Interlocked.Increment(ref _refused);
            _metrics.RejectedConnections.Add(1);
            Refuse(client, remote, "not in --allow, or in --deny");
            return;
        }

        if (_connections.Count >= MaxConnections)
        {
            Reject(client, remote, $"connection limit of {MaxConnections} reached");
            return;
        }

        if (remote is not null && _perAddress.AddOrUpdate(remote, 1, (_, n) => n + 1) > _options.MaxConnectionsPerAddress)
        {
            ForgetAddress(remote);
            Reject(client, remote, $"limit of {_options.MaxConnectionsPerAddress} connection(s) per address reached");
            return;
        }

        var connection = new SocketConnection(client, _transportOptions, _logger, _metrics);
        _metrics.AcceptedConnections.Add(1);

        var entry = new Entry(connection);
        entry.Run = RunConnectionAsync(entry, remote);
    }

    private bool IsAllowed(IPAddress remote) =>
        (_options.Allow.Count == 0 || _options.Allow.Any(s => Covers(s, remote))) && !_options.Deny.Any(s => Covers(s, remote));

    // An IPv4 peer (shown as 127.0.0.1 even on a dual-stack listener) is matched in both of its forms, so a rule written
    // as IPv4-mapped IPv6 (::ffff:127.0.0.0/104, ::/0) covers it too, rather than a deny that silently never matches.
    private static string? UnixPathOf(EndPoint endPoint) =>
        endPoint is UnixDomainSocketEndPoint unix && unix.ToString() is { Length: > 0 } path && path[0] is not ('\0' or '@') ? path : null;

    private static bool Covers(Subnet subnet, IPAddress remote) =>
        subnet.Contains(remote) || (remote.AddressFamily == AddressFamily.InterNetwork && subnet.Contains(remote.MapToIPv6()));

    private void Reject(Socket client, IPAddress? remote, string why)
    {
        Interlocked.Increment(ref _rejected);
        _metrics.RejectedConnections.Add(1);
        Refuse(client, remote, why);
    }

    /// <summary>Resets a client we will not serve, so it sees ECONNRESET rather than a connection that looks served.</summary>
    private void Refuse(Socket client, IPAddress? remote, string why)
    {
        if (_refusedLog.TryEnter(out var suppressed))
        {
            Log.Rejected(_logger, remote?.ToString() ?? "a unix peer", why, LogThrottle.Suffix(suppressed));
        }

        try
        {
            client.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
            // Already gone.
        }

        client.Dispose();
    }

    private void ForgetAddress(IPAddress remote)
    {
        while (_perAddress.TryGetValue(remote, out var n))
        {
            if (n <= 1 ? _perAddress.TryRemove(new KeyValuePair<IPAddress, int>(remote, n)) : _perAddress.TryUpdate(remote, n - 1, n))
            {
                return;
            }
        }
    }

    private async Task RunConnectionAsync(Entry entry, IPAddress? remote)
    {
        // Registered before anything else (so its removal can never come first), then off the accept loop onto the
        // thread pool (so a handler that blocks before its first await never stalls accepting). StopAsync waits for
        // the accept loop before it reads the entries, so every entry it sees has its Run.
        var transport = (SocketConnection)entry.Connection;
        _connections[transport.Id] = entry;
        Log.Accepted(_logger, transport, Log.HandshakeNote(transport), _connections.Count);
        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        transport.Start();
        Connection connection = transport;
        var handshakeFailed = false;
        try
        {
            if (_options.Tls is { } tls)
            {
                connection = await TlsConnection.AuthenticateAsServerAsync(transport, tls, _connectionOptions, _logger, _stopping.Token).ConfigureAwait(false);
                entry.Connection = connection; // The heartbeat now watches frames and buffers at the plaintext layer.
            }

            await _handler.HandleAsync(connection, _stopping.Token).ConfigureAwait(false);
        }
        catch (FrameException ex)
        {
            _metrics.BadFrames.Add(1);
            Failed(connection, CloseReasonKind.BadFrame, "bad frame: " + ex.Message, ex);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            connection.TrySetCloseReason(CloseReasonKind.ServerStopping, "the server is stopping");
        }
        catch (ConnectionException ex) when (ex.Kind == ConnectionErrorKind.TlsHandshake)
        {
            // Everyday life for a TLS port (scanners, health checks that only connect, clients that distrust us):
            // narrated under -v and counted, not a warning each time (Kestrel logs these at Debug).
            // Reset, not FIN: under TLS 1.3 a client whose certificate we refused thinks it is connected and may have
            // sent data already; a reset tells it so instead of an end of stream that reads as a clean close.
            handshakeFailed = true;
            Interlocked.Increment(ref _handshakeFailures);
            Log.HandshakeFailed(_logger, connection, ex.Message);
            connection.Abort(CloseReasonKind.Error, ex.Message, ex);
        }
        catch (Exception ex)
        {
            Failed(connection, CloseReasonKind.Error, ex.Message, ex);
        }
        finally
        {
            try
            {
                await connection.CloseAsync(_options.DrainTimeout).ConfigureAwait(false);
            }
            finally
            {
                _connections.TryRemove(connection.Id, out _);
                if (remote is not null)
                {
                    ForgetAddress(remote);
                }

                if (connection.IsAborted && !handshakeFailed) // Handshake failures are counted on their own.
                {
                    Interlocked.Increment(ref _reset);
                }

                Interlocked.Add(ref _bytesDropped, connection.BytesDropped);
            }
        }
    }

    private void Failed(Connection connection, CloseReasonKind kind, string message, Exception ex)
    {
        if (connection.TrySetCloseReason(kind, message, ex) && _failedLog.TryEnter(out var suppressed))
        {
            Log.ConnectionFailed(_logger, connection, message + LogThrottle.Suffix(suppressed));
        }
    }

    /// <summary>A connection the server holds: the transport until the TLS handshake is done, then the TLS connection.</summary>
    private sealed class Entry(Connection connection)
    {
        public Connection Connection { get; set; } = connection;

        public Task Run { get; set; } = Task.CompletedTask;
    }
}
