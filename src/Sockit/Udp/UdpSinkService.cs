namespace Sockit.Udp;

/// <summary>
/// Discards every datagram, counting datagrams, bytes and sequence gaps per peer: a message that starts with a
/// number (as <c>seq 1 1000</c> sends, see <see cref="DatagramSequence"/>) carries one. <see cref="Report"/> gives
/// one <see cref="UdpSinkReport"/> per peer. Allocates nothing per datagram.
/// </summary>
/// <param name="framer">How messages are cut inside a datagram; owned by this service (one receive loop).</param>
public sealed class UdpSinkService(DatagramFramer framer) : IUdpDatagramHandler
{
    /// <inheritdoc />
    public ValueTask HandleAsync(UdpServer server, UdpPeer peer, ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peer);
        foreach (var message in framer.Split(datagram))
        {
            if (DatagramSequence.TryRead(message.Span, out var sequence))
            {
                peer.ObserveSequence(sequence);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>One report per peer <paramref name="server"/> remembers, in the order they were first heard.</summary>
    public static UdpSinkReport[] Report(UdpServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return [.. server.SnapshotPeers().OrderBy(p => p.FirstSeen).Select(UdpSinkReport.Of)];
    }
}
