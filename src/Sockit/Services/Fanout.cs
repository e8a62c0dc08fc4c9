using System.Buffers;
using System.Collections.Concurrent;
using System.Threading.Channels;
using Sockit.Diagnostics;
using Sockit.Framing;
using Sockit.Tcp;

namespace Sockit.Services;

/// <summary>
/// The connections that receive relayed frames (chat, broker, stdin to every client). Sending never waits:
/// each member has its own queue, drained into its connection by its own pump with proper flow control.
/// A member whose queue exceeds <see cref="MaxQueuedBytes"/> has stopped reading and is disconnected, so
/// one slow client never stalls the sender or the others. Thread-safe.
/// </summary>
public sealed class Fanout
{
    /// <summary>The default per-member queue limit: 4 MiB (on top of the connection's output pipe and kernel buffers).</summary>
    public const long DefaultMaxQueuedBytes = 4 << 20;

    private readonly ConcurrentDictionary<long, Member> _members = new();
    private readonly FrameEncoder _encoder;

    /// <summary>Relays frames encoded with <paramref name="spec"/>.</summary>
    public Fanout(FrameSpec spec, long maxQueuedBytes = DefaultMaxQueuedBytes)
    {
        _encoder = (spec ?? throw new ArgumentNullException(nameof(spec))).CreateEncoder();
        MaxQueuedBytes = maxQueuedBytes;
    }

    /// <summary>Encoded bytes a member may have waiting before it is disconnected as a slow consumer.</summary>
    public long MaxQueuedBytes { get; }

    /// <summary>Members now.</summary>
    public int Count => _members.Count;

    /// <summary>Adds <paramref name="connection"/>; it receives frames until <see cref="LeaveAsync"/>.</summary>
    public void Join(TcpConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _members[connection.Id] = new Member(connection, this);
    }

    /// <summary>
    /// Serves one member: joins it, hands each frame it sends to <paramref name="onFrame"/> (valid only during
    /// the call), and leaves when its input ends. The read loop of broker and relay.
    /// </summary>
    public async ValueTask ServeMemberAsync(TcpConnection connection, FrameDecoder decoder, Func<ReadOnlySequence<byte>, ValueTask> onFrame, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(onFrame);
        var reader = new FrameReader(connection.Input, decoder);
        Join(connection);
        try
        {
            while (await reader.ReadFrameAsync(stopping).ConfigureAwait(false))
            {
                SockitMetrics.FramesReceived.Add(1);
                await onFrame(reader.Current).ConfigureAwait(false);
            }
        }
        finally
        {
            await LeaveAsync(connection).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Removes <paramref name="connection"/> and stops its pump; frames still queued for it are dropped (it is
    /// leaving). After this completes nothing more is written to its output.
    /// </summary>
    public async ValueTask LeaveAsync(TcpConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (_members.TryRemove(connection.Id, out var member))
        {
            await member.DisposeAsync().ConfigureAwait(false);
        }
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_frame;

    /// <summary>Queues <paramref name="payload"/> as one frame for every member but <paramref name="except"/>.</summary>
    /// <exception cref="ArgumentException">The framing cannot carry this payload; nothing was queued.</exception>
    public void Send(in ReadOnlySequence<byte> payload, TcpConnection? except = null)
    {
        var frame = Encode(payload);
        foreach (var member in _members.Values)
        {
            if (member.Connection != except)
            {
                member.Enqueue(frame);
            }
        }
    }

    /// <inheritdoc cref="Send(in ReadOnlySequence{byte}, TcpConnection?)"/>
    public void Send(ReadOnlyMemory<byte> payload, TcpConnection? except = null) => Send(new ReadOnlySequence<byte>(payload), except);

    /// <summary>Queues <paramref name="payload"/> as one frame for <paramref name="member"/> alone (if it is a member).</summary>
    /// <exception cref="ArgumentException">The framing cannot carry this payload; nothing was queued.</exception>
    public void SendTo(TcpConnection member, ReadOnlyMemory<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(member);
        var frame = Encode(new ReadOnlySequence<byte>(payload));
        if (_members.TryGetValue(member.Id, out var target))
        {
            target.Enqueue(frame);
        }
    }

    // Encoded once, here, so a payload the framing refuses fails the caller, not the members' pumps.
    private ReadOnlySpan<byte> Encode(in ReadOnlySequence<byte> payload)
    {
        var frame = t_frame ??= new ArrayBufferWriter<byte>(1024);
        frame.ResetWrittenCount();
        _encoder.Encode(payload, frame);
        return frame.WrittenSpan;
    }

    /// <summary>One member: a queue of encoded frames and the pump that is its output's only writer.</summary>
    private sealed class Member : IAsyncDisposable
    {
        private readonly Fanout _owner;
        private readonly Channel<(byte[] Buffer, int Length)> _queue =
            Channel.CreateUnbounded<(byte[], int)>(new UnboundedChannelOptions { SingleReader = true });
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _pump;
        private long _queuedBytes;

        public Member(TcpConnection connection, Fanout owner)
        {
            Connection = connection;
            _owner = owner;
            _pump = PumpAsync();
        }

        public TcpConnection Connection { get; }

        public void Enqueue(ReadOnlySpan<byte> frame)
        {
            var length = frame.Length;
            if (Interlocked.Add(ref _queuedBytes, length) > _owner.MaxQueuedBytes)
            {
                Interlocked.Add(ref _queuedBytes, -length);
                if (_queue.Writer.TryComplete())
                {
                    Connection.Abort(CloseReasonKind.LimitReached,
                        $"send queue over {_owner.MaxQueuedBytes} bytes: the client stopped reading, disconnected so it does not stall the others");
                }

                return;
            }

            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
            frame.CopyTo(buffer);
            if (!_queue.Writer.TryWrite((buffer, length)))
            {
                Interlocked.Add(ref _queuedBytes, -length);
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        public async ValueTask DisposeAsync()
        {
            _queue.Writer.TryComplete();
            await _stop.CancelAsync().ConfigureAwait(false);
            await _pump.ConfigureAwait(false);
            _stop.Dispose();
        }

        private async Task PumpAsync()
        {
            var reader = _queue.Reader;
            var output = Connection.Output;
            try
            {
                while (await reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
                {
                    // Everything queued goes out in one flush.
                    var frames = 0;
                    while (reader.TryRead(out var item))
                    {
                        output.Write(item.Buffer.AsSpan(0, item.Length));
                        Interlocked.Add(ref _queuedBytes, -item.Length);
                        ArrayPool<byte>.Shared.Return(item.Buffer);
                        frames++;
                    }

                    SockitMetrics.FramesSent.Add(frames);
                    var flush = await output.FlushAsync(_stop.Token).ConfigureAwait(false);
                    if (flush.IsCompleted || flush.IsCanceled)
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Leaving.
            }
            finally
            {
                _queue.Writer.TryComplete();
                while (reader.TryRead(out var item))
                {
                    ArrayPool<byte>.Shared.Return(item.Buffer);
                }
            }
        }
    }
}
