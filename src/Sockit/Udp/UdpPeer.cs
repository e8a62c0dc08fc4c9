using System.Net;
using System.Net.Sockets;

namespace Sockit.Udp;

/// <summary>
/// What a <see cref="UdpPeerTable"/> knows about one sender: when it was first and last seen and what it sent.
/// UDP has no connection, so a "peer" is only an address that sent something, forgotten after it goes quiet.
/// Not thread-safe: updated by the table's owner.
/// </summary>
public sealed class UdpPeer
{
    internal UdpPeer(SocketAddress address, DateTimeOffset now)
    {
        Address = address;
        EndPoint = UdpEndpoint.ToIPEndPoint(address);
        Name = EndPoint.ToString();
        FirstSeen = now;
        LastSeen = now;
    }

    /// <summary>The peer's address in the socket's own form: send replies to it with <see cref="UdpEndpoint.SendAsync"/>.</summary>
    public SocketAddress Address { get; }

    /// <summary>The peer's address as people write it (IPv4-mapped IPv6 shown as IPv4).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary><see cref="EndPoint"/> as text, made once: <c>127.0.0.1:40001</c>, <c>[::1]:40001</c>.</summary>
    public string Name { get; }

    /// <summary>When the first datagram from this peer arrived.</summary>
    public DateTimeOffset FirstSeen { get; }

    /// <summary>When the latest datagram from this peer arrived.</summary>
    public DateTimeOffset LastSeen { get; private set; }

    /// <summary>Datagrams received from this peer.</summary>
    public long Datagrams { get; private set; }

    /// <summary>Payload bytes received from this peer.</summary>
    public long Bytes { get; private set; }

    /// <summary>Sequence numbers skipped so far (see <see cref="ObserveSequence"/>): datagrams lost, or still on the way.</summary>
    public long Gaps { get; private set; }

    /// <summary>Datagrams whose sequence number was lower than one already seen: reordered or duplicated.</summary>
    public long Late { get; private set; }

    /// <summary>Whether any datagram from this peer carried a sequence number.</summary>
    public bool HasSequence => _nextSequence is not null;

    private long? _nextSequence;

    /// <summary>
    /// Counts a sequence number carried by a datagram: a jump forward adds the numbers skipped to
    /// <see cref="Gaps"/>, a step back counts as <see cref="Late"/>.
    /// </summary>
    public void ObserveSequence(long sequence)
    {
        if (_nextSequence is not { } expected)
        {
            _nextSequence = sequence + 1;
            return;
        }

        if (sequence < expected)
        {
            Late++;
            return;
        }

        Gaps += sequence - expected;
        _nextSequence = sequence + 1;
    }

    internal void Record(int bytes, DateTimeOffset now)
    {
        Datagrams++;
        Bytes += bytes;
        LastSeen = now;
    }
}
