namespace Sockit.Udp;

/// <summary>Returns each datagram, whole, to the peer that sent it (<c>listen --udp --mode echo</c>).</summary>
public sealed class UdpEchoService : IUdpDatagramHandler
{
    /// <inheritdoc />
    public ValueTask HandleAsync(UdpServer server, UdpPeer peer, ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        return server.SendAsync(peer, datagram, cancellationToken);
    }
}
