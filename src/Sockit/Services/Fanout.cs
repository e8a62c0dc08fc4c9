using System.Buffers;
using System.Collections.Concurrent;
using Sockit.Diagnostics;
using Sockit.Framing;
using Sockit.Tcp;

namespace Sockit.Services;

/// <summary>
/// The connections that receive relayed frames (chat, broker, stdin to every client). Sending never waits:
/// each member's send queue is its output pipe, bounded by the pause threshold; a member whose queue is
/// full has stopped reading and is disconnected, so one slow client never stalls the others. Thread-safe.
/// </summary>
public sealed class Fanout
{
    private readonly ConcurrentDictionary<long, Member> _members = new();
    private readonly FrameEncoder _encoder;

    /// <summary>Relays frames encoded with <paramref name="spec"/>.</summary>
    public Fanout(FrameSpec spec) => _encoder = (spec ?? throw new ArgumentNullException(nameof(spec))).CreateEncoder();

    /// <summary>Members now.</summary>
    public int Count => _members.Count;

    /// <summary>Adds <paramref name="connection"/>; it receives frames until <see cref="Leave"/>.</summary>
    public void Join(TcpConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _members[connection.Id] = new Member(connection);
    }

    /// <summary>Removes <paramref name="connection"/>; after this returns nothing more is written to it.</summary>
    public void Leave(TcpConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (_members.TryRemove(connection.Id, out var member))
        {
            member.Retire();
        }
    }

    /// <summary>Sends <paramref name="payload"/> as one frame to every member but <paramref name="except"/>.</summary>
    public void Send(in ReadOnlySequence<byte> payload, TcpConnection? except = null)
    {
        foreach (var member in _members.Values)
        {
            if (member.Connection != except)
            {
                member.Send(payload, _encoder);
            }
        }
    }

    /// <inheritdoc cref="Send(in ReadOnlySequence{byte}, TcpConnection?)"/>
    public void Send(ReadOnlyMemory<byte> payload, TcpConnection? except = null) => Send(new ReadOnlySequence<byte>(payload), except);

    private sealed class Member(TcpConnection connection)
    {
        private readonly Lock _gate = new();
        private bool _retired;

        public TcpConnection Connection { get; } = connection;

        public void Send(in ReadOnlySequence<byte> payload, FrameEncoder encoder)
        {
            lock (_gate)
            {
                if (_retired)
                {
                    return;
                }

                // The output pipe has one writer at a time: this lock makes every relaying thread that one.
                encoder.Encode(payload, Connection.Output);
                var flush = Connection.Output.FlushAsync();
                if (flush.IsCompleted)
                {
                    _ = flush.Result;
                    SockitMetrics.FramesSent.Add(1);
                    return;
                }

                // Over the pause threshold: the client is not reading. Cut it loose instead of waiting for it.
                // The pending flush completes when the abort completes the pipe; nobody needs its result.
                _retired = true;
                Connection.Abort(CloseReasonKind.LimitReached, "send queue full: the client stopped reading, disconnected so it does not stall the others");
            }
        }

        public void Retire()
        {
            lock (_gate)
            {
                _retired = true;
            }
        }
    }
}
