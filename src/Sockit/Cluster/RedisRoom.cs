using System.Buffers;
using System.Buffers.Binary;
using System.Threading.Channels;
using Sockit.Connections;
using Sockit.Diagnostics;
using Sockit.Services;
using StackExchange.Redis;

namespace Sockit.Cluster;

/// <summary>
/// A room spanning nodes through Redis pub/sub. Publishing delivers to this node's members at once (never waiting
/// on Redis) and queues a <see cref="BackplaneEnvelope"/> for the room's channel, sent in order by one loop; a
/// second loop receives the channel, skips this node's own messages (already delivered here) and any message not
/// newer than the last one from its node, and delivers the rest to the local members. Presence: every node keeps
/// <c>PREFIX room:NAME:node:ID = SEQUENCE:COUNT</c> with the presence expiry, renewed by a heartbeat, and lists
/// itself in the set <c>PREFIX room:NAME:nodes</c>; <see cref="Count"/> adds the live nodes' counts to its own.
/// Made by <see cref="RedisBackplane.OpenRoomAsync"/>. Thread-safe.
/// </summary>
public sealed partial class RedisRoom : IFanoutRoom, IAsyncDisposable
{
    private const int InFlight = 256; // publishes pipelined before the send loop awaits them

    private readonly RedisBackplane _owner;
    private readonly ISubscriber _subscriber;
    private readonly IDatabase _database;
    private readonly RedisChannel _channel;
    private readonly RedisKey _nodesKey;
    private readonly string _nodeKeyPrefix;
    private readonly TimeSpan _expiry;
    private readonly NodePresence _presence;
    private readonly NodeSequences _sequences = new();
    private readonly Channel<byte[]> _outbound = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _beat = new(0, 1);
    private readonly LogThrottle _undeliverable = LogThrottle.PerSecond();
    private readonly Lock _order = new();
    private ChannelMessageQueue? _queue;
    private Task _sending = Task.CompletedTask;
    private Task _receiving = Task.CompletedTask;
    private Task _heartbeat = Task.CompletedTask;
    private TaskCompletionSource? _pendingRoom;
    private ulong _sequence;   // under _order
    private long _pendingBytes;
    private long _notSent;
    private long _received;

    internal RedisRoom(RedisBackplane owner, string name, Fanout members)
    {
        _owner = owner;
        Name = name;
        Members = members;
        var prefix = owner.Options.KeyPrefix + "room:" + name;
        _channel = RedisChannel.Literal(prefix);
        _nodesKey = prefix + ":nodes";
        _nodeKeyPrefix = prefix + ":node:";
        _expiry = owner.Options.PresenceExpiry;
        _presence = new NodePresence(_expiry);
        _subscriber = owner.Multiplexer.GetSubscriber();
        _database = owner.Multiplexer.GetDatabase();
    }

    /// <summary>The room's name (its channel is <c>PREFIX room:NAME</c>).</summary>
    public string Name { get; }

    /// <inheritdoc />
    public Fanout Members { get; }

    /// <inheritdoc />
    public int Count => Members.Count + _presence.Count(Environment.TickCount64);

    /// <summary>Messages published here that were not sent to the other nodes (Redis was unreachable or refused them).</summary>
    public long MessagesNotSent => Interlocked.Read(ref _notSent);

    /// <summary>Messages from other nodes delivered to this node's members.</summary>
    public long MessagesReceived => Interlocked.Read(ref _received);

    /// <inheritdoc />
    public ValueTask PublishAsync(in ReadOnlySequence<byte> payload, Connection? sender, CancellationToken cancellationToken = default)
    {
        // Here first: a payload the framing refuses throws before anything is sent anywhere, and local members
        // never wait on Redis.
        var local = Members.PublishAsync(payload, sender, cancellationToken);
        var message = new BackplaneEnvelope(_owner.Node, (ulong)(sender?.Id ?? 0), 0, Members.Count).Encode(payload);
        lock (_order)
        {
            // The sequence is taken and the message queued in one step, so the queue is in sequence order.
            BinaryPrimitives.WriteUInt64BigEndian(message.AsSpan(18), ++_sequence);
            if (!_owner.IsConnected || !_outbound.Writer.TryWrite(message))
            {
                Interlocked.Increment(ref _notSent); // the others see the gap in the sequence
                return local;
            }
        }

        return Interlocked.Add(ref _pendingBytes, message.Length) > _owner.Options.MaxPendingBytes
            ? WaitForPendingRoomAsync(local, cancellationToken)
            : local;
    }

    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        // The subscription connection comes up a moment after the first one; with the fail-fast backlog a SUBSCRIBE
        // sent before it would fail, so wait for it (bounded: the command timeout and 5 s more).
        var deadline = Environment.TickCount64 + _owner.Multiplexer.TimeoutMilliseconds + 5000;
        while (!_subscriber.IsConnected(_channel) && Environment.TickCount64 < deadline)
        {
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }

        _queue = await _subscriber.SubscribeAsync(_channel).WaitAsync(cancellationToken).ConfigureAwait(false);
        Log.BackplaneRoomOpened(_owner.Logger, Name, _channel.ToString(), _expiry.TotalSeconds);
        _receiving = Task.Run(ReceiveAsync, CancellationToken.None);
        _sending = Task.Run(SendAsync, CancellationToken.None);
        _heartbeat = Task.Run(HeartbeatAsync, CancellationToken.None);
    }

    /// <summary>
    /// Sends what is queued (for up to 2 s), stops its loops (waiting up to 5 s for commands already sent to Redis),
    /// and deletes this node's presence (up to 2 s) so the others count it out at once.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _outbound.Writer.TryComplete();
        await _sending.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_receiving, _heartbeat, _sending).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_owner.IsConnected)
        {
            await Task.WhenAll(
                    _queue?.UnsubscribeAsync() ?? Task.CompletedTask,
                    _database.KeyDeleteAsync(_nodeKeyPrefix + _owner.NodeId),
                    _database.SetRemoveAsync(_nodesKey, _owner.NodeId))
                .WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

    }

    private async ValueTask WaitForPendingRoomAsync(ValueTask local, CancellationToken cancellationToken)
    {
        await local.ConfigureAwait(false);
        while (Interlocked.Read(ref _pendingBytes) > _owner.Options.MaxPendingBytes)
        {
            Task room;
            lock (_order)
            {
                room = (_pendingRoom ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            if (Interlocked.Read(ref _pendingBytes) > _owner.Options.MaxPendingBytes)
            {
                await room.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The send loop: publishes in queue (sequence) order, up to <see cref="InFlight"/> at a time.</summary>
    private async Task SendAsync()
    {
        var reader = _outbound.Reader;
        var inFlight = new List<(Task Publish, int Length)>(InFlight);
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                while (inFlight.Count < InFlight && reader.TryRead(out var message))
                {
                    if (_owner.IsConnected)
                    {
                        inFlight.Add((_subscriber.PublishAsync(_channel, message), message.Length));
                    }
                    else
                    {
                        Interlocked.Increment(ref _notSent);
                        ReleasePending(message.Length);
                    }
                }

                foreach (var (publish, length) in inFlight)
                {
                    try
                    {
                        await publish.ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
                    {
                        Interlocked.Increment(ref _notSent);
                    }

                    ReleasePending(length);
                }

                inFlight.Clear();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void ReleasePending(int length)
    {
        if (Interlocked.Add(ref _pendingBytes, -length) <= _owner.Options.MaxPendingBytes && _pendingRoom is not null)
        {
            lock (_order)
            {
                _pendingRoom?.TrySetResult();
                _pendingRoom = null;
            }
        }
    }

    /// <summary>The receive loop: the other nodes' messages, to this node's members, each at most once and in its node's order.</summary>
    private async Task ReceiveAsync()
    {
        try
        {
            while (true)
            {
                var message = (ReadOnlyMemory<byte>)(await _queue!.ReadAsync(_stop.Token).ConfigureAwait(false)).Message;
                if (!BackplaneEnvelope.TryDecode(message.Span, out var envelope, out var offset))
                {
                    Undeliverable("not a sockit backplane message (another program publishes on this channel?)");
                    continue;
                }

                if (envelope.Node == _owner.Node)
                {
                    continue; // delivered here when it was published
                }

                _presence.Seen(envelope.Node, envelope.MemberCount, envelope.Sequence, Environment.TickCount64);
                if (!_sequences.TryAccept(envelope.Node, envelope.Sequence))
                {
                    continue;
                }

                try
                {
                    await Members.PublishAsync(new ReadOnlySequence<byte>(message[offset..]), null, _stop.Token).ConfigureAwait(false);
                    Interlocked.Increment(ref _received);
                }
                catch (ArgumentException ex)
                {
                    Undeliverable("this node's framing cannot carry it (" + ex.Message + "); every node of a room must use the same mode and framing");
                }
                catch (InvalidOperationException)
                {
                    return; // the fan-out is complete: the server is stopping
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            // Stopping (or unsubscribed).
        }
    }

    private void Undeliverable(string reason)
    {
        if (_undeliverable.TryEnter(out var suppressed))
        {
            Log.BackplaneUndeliverable(_owner.Logger, Name, reason, LogThrottle.Suffix(suppressed));
        }
    }
}
