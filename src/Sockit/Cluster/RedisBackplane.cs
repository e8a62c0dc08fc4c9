using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sockit.Diagnostics;
using Sockit.Services;
using StackExchange.Redis;

namespace Sockit.Cluster;

/// <summary>
/// One node's link to the other nodes through Redis (StackExchange.Redis, the client ASP.NET Core SignalR's Redis
/// backplane uses): one connection multiplexer for every room the node opens (<see cref="OpenRoomAsync"/>). When
/// Redis goes away, each room keeps serving its local members, one warning is logged (rate-limited), the client
/// reconnects with exponential backoff (0.5 s doubling to 5 s) and resubscribes, and delivery across nodes
/// resumes by itself; what was published meanwhile is not sent to the other nodes (at-most-once across nodes).
/// Thread-safe.
/// </summary>
public sealed class RedisBackplane : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _redis;
    private readonly ILogger _logger;
    private readonly LogThrottle _lostWarnings = new(TimeSpan.FromSeconds(30));
    private readonly Lock _gate = new();
    private readonly List<RedisRoom> _rooms = [];
    private long _downSince; // Environment.TickCount64 when Redis was lost, 0 while connected
    private long _notSentReported;

    private RedisBackplane(ConnectionMultiplexer redis, RedisBackplaneOptions options, ILogger logger)
    {
        _redis = redis;
        _logger = logger;
        Options = options;
        Node = BitConverter.ToUInt64(Guid.NewGuid().ToByteArray());
        NodeId = Node.ToString("x16", null);
        Redis = Describe(redis.GetEndPoints()[0]);
        redis.ConnectionFailed += OnConnectionFailed;
        redis.ConnectionRestored += OnConnectionRestored;
    }

    /// <summary>This node's id in every message and presence key: 16 hex digits, new at every start.</summary>
    public string NodeId { get; }

    /// <summary>The Redis endpoint, for messages (<c>HOST:PORT</c> or <c>unix:PATH</c>).</summary>
    public string Redis { get; }

    /// <summary>The settings this backplane runs with.</summary>
    public RedisBackplaneOptions Options { get; }

    /// <summary>True while Redis is reachable.</summary>
    public bool IsConnected => _redis.IsConnected;

    internal ulong Node { get; }

    internal ConnectionMultiplexer Multiplexer => _redis;

    internal ILogger Logger => _logger;

    /// <summary>
    /// Connects to Redis; after this first connection, losing Redis is survived (see the class remarks).
    /// </summary>
    /// <exception cref="IOException">Redis could not be reached (the message names it and why).</exception>
    public static async Task<RedisBackplane> ConnectAsync(RedisBackplaneOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.PresenceExpiry < TimeSpan.FromMilliseconds(300))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.PresenceExpiry, "the presence expiry must be at least 300 ms");
        }

        var redis = options.Redis.Clone();
        redis.AbortOnConnectFail = true;                        // the first connection must work: a wrong address fails at once
        redis.BacklogPolicy = BacklogPolicy.FailFast;           // while Redis is down, a publish fails now instead of queueing
        redis.ReconnectRetryPolicy = new ExponentialRetry(500, 5000);
        redis.ClientName ??= "sockit";
        var where = Describe(redis.EndPoints[0]);
        ConnectionMultiplexer multiplexer;
        try
        {
            multiplexer = await ConnectionMultiplexer.ConnectAsync(redis).ConfigureAwait(false);
        }
        catch (RedisConnectionException ex)
        {
            throw new IOException($"backplane: cannot reach redis at {where} ({ex.FailureType})", ex);
        }

        var backplane = new RedisBackplane(multiplexer, options, logger ?? NullLogger.Instance);
        Log.BackplaneConnected(backplane._logger, backplane.Redis, backplane.NodeId);
        return backplane;
    }

    /// <summary>
    /// Joins room <paramref name="name"/> (its channel is <c>PREFIX room:NAME</c>) with <paramref name="members"/>
    /// as this node's members, and returns once subscribed. Every node of a room must frame alike (same mode and framing).
    /// </summary>
    public async Task<RedisRoom> OpenRoomAsync(string name, Fanout members, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(members);
        var room = new RedisRoom(this, name, members);
        await room.StartAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _rooms.Add(room);
        }

        return room;
    }

    /// <summary>Leaves every room (its presence key deleted when Redis is up), then closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        RedisRoom[] rooms;
        lock (_gate)
        {
            rooms = [.. _rooms];
            _rooms.Clear();
        }

        foreach (var room in rooms)
        {
            await room.DisposeAsync().ConfigureAwait(false);
        }

        // Nothing lost silently: what the last restore line did not report yet.
        var unreported = rooms.Sum(room => room.MessagesNotSent) - Interlocked.Read(ref _notSentReported);
        if (unreported > 0)
        {
            Log.BackplaneNeverSent(_logger, unreported, Redis);
        }

        _redis.ConnectionFailed -= OnConnectionFailed;
        _redis.ConnectionRestored -= OnConnectionRestored;
        await _redis.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
        await _redis.DisposeAsync().ConfigureAwait(false);
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        var failure = e.FailureType.ToString();
        if (Interlocked.CompareExchange(ref _downSince, Math.Max(1, Environment.TickCount64), 0) == 0 && _lostWarnings.TryEnter(out var suppressed))
        {
            Log.BackplaneLost(_logger, Redis, failure, LogThrottle.Suffix(suppressed));
        }
        else
        {
            Log.BackplaneStillDown(_logger, Redis, failure);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        var since = Interlocked.Exchange(ref _downSince, 0);
        RedisRoom[] rooms;
        lock (_gate)
        {
            rooms = [.. _rooms];
        }

        foreach (var room in rooms)
        {
            room.Heartbeat(); // presence back at once, not a heartbeat later
        }

        if (since != 0)
        {
            var notSent = rooms.Sum(room => room.MessagesNotSent);
            Log.BackplaneRestored(_logger, Redis, Math.Round((Environment.TickCount64 - since) / 1000.0, 1), notSent - Interlocked.Exchange(ref _notSentReported, notSent));
        }
    }

    private static string Describe(EndPoint endPoint) => endPoint switch
    {
        UnixDomainSocketEndPoint unix => "unix:" + unix,
        DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        _ => endPoint.ToString() ?? "?",
    };
}
