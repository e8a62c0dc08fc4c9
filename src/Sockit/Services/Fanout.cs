using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sockit.Diagnostics;
using Sockit.Framing;
using Sockit.Connections;

namespace Sockit.Services;

/// <summary>
/// The connections that receive relayed frames (chat, broker, stdin to every client), without loss: each member
/// has a queue bounded by <see cref="FanoutOptions.MaxQueuedBytes"/>, drained into its connection by its own pump
/// (the only writer of its output). Publishing queues a frame to every member and then waits while any of them is
/// over its limit, so a publisher is slowed to the pace of its readers instead of its frames being dropped. A
/// member is cut (reset, so its client knows data was lost) only when its queue has stayed full without progress
/// for <see cref="FanoutOptions.SlowConsumerTimeout"/>. Thread-safe.
/// </summary>
public sealed partial class Fanout
{
    private readonly ConcurrentDictionary<long, Member> _members = new();
    private readonly FrameEncoder _encoder;
    private readonly ILogger _logger;

    // Held while one frame is queued to every member (never while waiting), so every member sees the frames in
    // the same order; joining and completing take it too, so a member joins between two frames.
    private readonly Lock _order = new();
    private Member? _keeper; // the frames kept while there are no members (KeepWhileEmpty)
    private bool _completed;
    private long _queuedBytes;
    private long _slowConsumersCut;
    private long _bytesDropped;

    /// <summary>Relays frames encoded with <paramref name="spec"/>; cut members are logged to <paramref name="logger"/> as warnings.</summary>
    public Fanout(FrameSpec spec, FanoutOptions? options = null, ILogger? logger = null)
    {
        _encoder = (spec ?? throw new ArgumentNullException(nameof(spec))).CreateEncoder();
        Options = options ?? FanoutOptions.Default;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The queue limit and slow-consumer rules.</summary>
    public FanoutOptions Options { get; }

    /// <summary>Members now.</summary>
    public int Count => _members.Count;

    /// <summary>Encoded bytes queued now, over all members (and kept for the next one), not yet handed to a connection.</summary>
    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>Members cut so far because they stopped draining (see <see cref="FanoutOptions.SlowConsumerTimeout"/>).</summary>
    public long SlowConsumersCut => Interlocked.Read(ref _slowConsumersCut);

    /// <summary>Bytes that were queued for a member when it was cut, and so never delivered.</summary>
    public long BytesDropped => Interlocked.Read(ref _bytesDropped);

    /// <summary>
    /// Adds <paramref name="connection"/>; it receives frames until <see cref="LeaveAsync"/>. The first member to
    /// join an empty fan-out gets the frames kept for it (<see cref="FanoutOptions.KeepWhileEmpty"/>), and after
    /// <see cref="Complete"/> a member's output is completed (FIN) once those are sent.
    /// </summary>
    public void Join(Connection connection) => Join(connection, ReadOnlyMemory<byte>.Empty);

    /// <summary>
    /// Adds <paramref name="connection"/> as <see cref="Join(Connection)"/> does, with <paramref name="greeting"/> (a
    /// payload, encoded here; empty for none) queued for it in the same step: nothing published meanwhile, on this
    /// node or arriving from another, can reach the member before its greeting.
    /// </summary>
    public void Join(Connection connection, ReadOnlyMemory<byte> greeting)
    {
        ArgumentNullException.ThrowIfNull(connection);
        lock (_order)
        {
            var member = _keeper ?? new Member(this);
            _keeper = null;
            if (_completed)
            {
                member.Finish();
            }

            member.Attach(connection);
            _members[connection.Id] = member;
            if (!greeting.IsEmpty)
            {
                member.Enqueue(Encode(new ReadOnlySequence<byte>(greeting)));
            }
        }
    }

    /// <summary>
    /// Serves one member: joins it, hands each frame it sends to <paramref name="onFrame"/> (valid only during
    /// the call), and leaves when its input ends, or with <paramref name="stayUntilOutputEnds"/> when its output
    /// has ended too (after <see cref="Complete"/>, or when the connection fails). The read loop of broker and relay.
    /// </summary>
    public async ValueTask ServeMemberAsync(Connection connection, FrameDecoder decoder, Func<ReadOnlySequence<byte>, ValueTask> onFrame, CancellationToken stopping, bool stayUntilOutputEnds = false)
    {
        ArgumentNullException.ThrowIfNull(onFrame);
        var reader = new FrameReader(connection.Input, decoder);
        Join(connection);
        try
        {
            while (await reader.ReadFrameAsync(stopping).ConfigureAwait(false))
            {
                connection.Metrics.FramesReceived.Add(1);
                await onFrame(reader.Current).ConfigureAwait(false);
            }

            if (stayUntilOutputEnds && _members.TryGetValue(connection.Id, out var member))
            {
                await member.Pumped.WaitAsync(stopping).ConfigureAwait(false);
            }
        }
        finally
        {
            await LeaveAsync(connection).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Removes <paramref name="connection"/> and stops its pump; frames still queued for it are dropped (it is
    /// leaving) and publishers waiting on it are released. After this completes nothing more is written to its output.
    /// </summary>
    public async ValueTask LeaveAsync(Connection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (_members.TryRemove(connection.Id, out var member))
        {
            await member.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Queues <paramref name="payload"/> as one frame for every member but <paramref name="except"/>, then waits
    /// until every member it was queued for is below <see cref="FanoutOptions.MaxQueuedBytes"/> again, has left,
    /// or was cut. Completes synchronously, without allocating, when no member is over its limit. Frames from
    /// one publisher reach each member in the order published. Cancelling stops the wait, not the frame.
    /// </summary>
    /// <exception cref="ArgumentException">The framing cannot carry this payload; nothing was queued.</exception>
    /// <exception cref="InvalidOperationException">The fan-out was completed.</exception>
    public ValueTask PublishAsync(in ReadOnlySequence<byte> payload, Connection? except = null, CancellationToken cancellationToken = default)
    {
        var frame = Encode(payload);
        List<Member>? full = null; // allocated only when someone is full: the wait allocates anyway
        lock (_order)
        {
            if (_completed)
            {
                throw new InvalidOperationException("the fan-out is complete: nothing more can be published");
            }

            if (_members.IsEmpty && Options.KeepWhileEmpty)
            {
                _keeper ??= new Member(this);
                if (_keeper.Enqueue(frame))
                {
                    full = [_keeper];
                }
            }

            foreach (var member in _members.Values)
            {
                if (member.Connection != except && member.Enqueue(frame))
                {
                    (full ??= []).Add(member);
                }
            }
        }

        return full is null ? ValueTask.CompletedTask : WaitForRoomAsync(full, cancellationToken);
    }

    /// <inheritdoc cref="PublishAsync(in ReadOnlySequence{byte}, Connection?, CancellationToken)"/>
    public ValueTask PublishAsync(ReadOnlyMemory<byte> payload, Connection? except = null, CancellationToken cancellationToken = default) =>
        PublishAsync(new ReadOnlySequence<byte>(payload), except, cancellationToken);

    /// <summary>Queues <paramref name="payload"/> as one frame for <paramref name="member"/> alone (if it is a member), then waits as <see cref="PublishAsync(in ReadOnlySequence{byte}, Connection?, CancellationToken)"/> does.</summary>
    /// <exception cref="ArgumentException">The framing cannot carry this payload; nothing was queued.</exception>
    public ValueTask SendToAsync(Connection member, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        var frame = Encode(new ReadOnlySequence<byte>(payload));
        lock (_order)
        {
            return _members.TryGetValue(member.Id, out var target) && target.Enqueue(frame)
                ? WaitForRoomAsync([target], cancellationToken)
                : ValueTask.CompletedTask;
        }
    }

    /// <summary>
    /// No more frames: each member's output is completed (its client gets FIN) once the frames queued for it are
    /// sent, and so is the output of every member that joins later, after the frames kept for it. Idempotent.
    /// </summary>
    public void Complete()
    {
        lock (_order)
        {
            _completed = true;
            _keeper?.Finish();
            foreach (var member in _members.Values)
            {
                member.Finish();
            }
        }
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_frame;

    // Encoded once, here, so a payload the framing refuses fails the caller, not the members' pumps.
    private ReadOnlySpan<byte> Encode(in ReadOnlySequence<byte> payload)
    {
        var frame = t_frame ??= new ArrayBufferWriter<byte>(1024);
        frame.ResetWrittenCount();
        _encoder.Encode(payload, frame);
        return frame.WrittenSpan;
    }

    /// <summary>
    /// Waits until every one of <paramref name="full"/> has room, has left, or has made no progress for the slow
    /// consumer timeout (then it is cut). Checked a few times per timeout, on all of them at once, so members that
    /// stalled together are cut together, not one timeout after another.
    /// </summary>
    private async ValueTask WaitForRoomAsync(List<Member> full, CancellationToken cancellationToken)
    {
        var timeout = Options.SlowConsumerTimeout;
        var check = timeout == Timeout.InfiniteTimeSpan ? timeout : TimeSpan.FromMilliseconds(Math.Clamp(timeout.TotalMilliseconds / 4, 10, 1000));
        var rooms = new List<Task>(full.Count);
        while (true)
        {
            rooms.Clear();
            foreach (var member in full)
            {
                if (member.Room is { } room)
                {
                    rooms.Add(room);
                }
            }

            if (rooms.Count == 0)
            {
                return;
            }

            await Task.WhenAll(rooms).WaitAsync(check, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var member in full)
            {
                if (member.TryCut(out var dropped))
                {
                    OnCut(member, dropped);
                }
            }
        }
    }

    private void OnCut(Member member, long dropped)
    {
        Interlocked.Increment(ref _slowConsumersCut);
        Interlocked.Add(ref _bytesDropped, dropped);
        var seconds = Options.SlowConsumerTimeout.TotalSeconds;
        var connection = member.Connection!;
        Log.SlowConsumerCut(_logger, connection, dropped, seconds);
        connection.Abort(CloseReasonKind.SlowConsumer,
            $"slow consumer: the client stopped reading ({dropped} queued bytes, no progress for {seconds:0.###} s), reset so the others are not stalled");
    }
}
