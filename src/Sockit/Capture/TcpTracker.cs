using System.Globalization;
using System.Net;

namespace Sockit.Capture;

/// <summary>
/// Follows TCP connections through a stream of decoded packets and turns each segment into a
/// <see cref="TracedSegment"/>: sequence numbers made relative to each side's ISN (as Wireshark shows them) and a
/// note naming the handshake and close steps (RFC 9293 sections 3.5 and 3.6). Pure: no sockets, no clocks.
/// Memory is bounded: past <see cref="MaxConnections"/> connections the oldest state is forgotten. Not thread-safe.
/// </summary>
public sealed class TcpTracker
{
    /// <summary>How many connections are followed at once before old ones are forgotten.</summary>
    public const int MaxConnections = 4096;

    private readonly Dictionary<(string, string), Conversation> _conversations = [];
    private readonly Queue<(string, string)> _order = new();

    /// <summary>
    /// Traces the TCP segment in <paramref name="packet"/> seen at <paramref name="time"/>; returns null when the
    /// packet is not TCP.
    /// </summary>
    public TracedSegment? Track(DateTimeOffset time, DecodedPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        if (packet.Tcp is not { } tcp)
        {
            return null;
        }

        var source = new IPEndPoint(packet.Ip.Source, tcp.SourcePort).ToString();
        var destination = new IPEndPoint(packet.Ip.Destination, tcp.DestinationPort).ToString();
        var key = string.CompareOrdinal(source, destination) < 0 ? (source, destination) : (destination, source);
        var flags = tcp.Flags;
        var isSyn = (flags & TcpControlBits.Syn) != 0;
        var hasAck = (flags & TcpControlBits.Ack) != 0;
        if (!_conversations.TryGetValue(key, out var conversation) || (isSyn && !hasAck))
        {
            conversation = Remember(key);
        }

        var from = conversation.Side(source);
        var to = conversation.Side(destination);
        from.Base ??= tcp.Sequence;
        if (hasAck)
        {
            to.Base ??= tcp.Acknowledgement;
        }

        var note = conversation.Step(source, from, to, tcp, packet.PayloadLength);
        return new TracedSegment(
            time,
            source,
            destination,
            flags,
            unchecked(tcp.Sequence - from.Base.Value),
            hasAck ? unchecked(tcp.Acknowledgement - to.Base!.Value) : null,
            tcp.Window,
            packet.PayloadLength,
            note);
    }

    private Conversation Remember((string, string) key)
    {
        if (!_conversations.ContainsKey(key))
        {
            if (_order.Count >= MaxConnections)
            {
                _conversations.Remove(_order.Dequeue());
            }

            _order.Enqueue(key);
        }

        return _conversations[key] = new Conversation();
    }

    private sealed class Direction
    {
        public uint? Base { get; set; }

        /// <summary>The acknowledgement number that acknowledges this side's FIN, once it has sent one.</summary>
        public uint? FinEnd { get; set; }

        public bool FinAcknowledged { get; set; }
    }

    private sealed class Conversation
    {
        private readonly Dictionary<string, Direction> _sides = [];
        private string? _initiator;
        private bool _synAckSeen;
        private bool _established;
        private string? _firstToClose;

        public Direction Side(string endpoint)
        {
            if (!_sides.TryGetValue(endpoint, out var side))
            {
                _sides[endpoint] = side = new Direction();
            }

            return side;
        }

        public string? Step(string source, Direction from, Direction to, TcpHeader tcp, int payload)
        {
            var flags = tcp.Flags;
            var hasAck = (flags & TcpControlBits.Ack) != 0;
            var isn = tcp.Sequence.ToString(CultureInfo.InvariantCulture);
            if ((flags & TcpControlBits.Rst) != 0)
            {
                return $"reset: {source} aborts the connection, or has no socket for it (RST): no FIN exchange, data in flight is lost";
            }

            if ((flags & TcpControlBits.Syn) != 0)
            {
                from.Base = tcp.Sequence;
                if (!hasAck)
                {
                    _initiator = source;
                    return $"handshake 1/3: {source} asks to connect (SYN; its ISN is {isn})";
                }

                _synAckSeen = true;
                return $"handshake 2/3: {source} agrees and asks back (SYN-ACK; its ISN is {isn})";
            }

            var acksPeerFin = hasAck && to.FinEnd is { } end && !to.FinAcknowledged && tcp.Acknowledgement == end;
            if (acksPeerFin)
            {
                to.FinAcknowledged = true;
            }

            if ((flags & TcpControlBits.Fin) != 0)
            {
                from.FinEnd ??= unchecked(tcp.Sequence + (uint)payload + 1);
                var data = payload > 0 ? $"{payload} bytes, then " : "";
                if (_firstToClose is null)
                {
                    _firstToClose = source;
                    return $"close 1/4: {data}{source} has no more to send (FIN; it calls close() or shutdown())";
                }

                return acksPeerFin
                    ? $"close 2+3/4: {data}{source} acknowledges the FIN and sends its own in one segment"
                    : $"close 3/4: {data}{source} has no more to send either (FIN)";
            }

            if (acksPeerFin)
            {
                return _firstToClose == source
                    ? $"close 4/4: {source} acknowledges the last FIN; it waits in TIME_WAIT, the other side is closed"
                    : $"close 2/4: {source} acknowledges the FIN; its recv() now returns empty (b'')";
            }

            if (!_established && _synAckSeen && hasAck && payload == 0 && source == _initiator)
            {
                _established = true;
                return $"handshake 3/3: {source} acknowledges; the connection is ESTABLISHED";
            }

            return null;
        }
    }
}
