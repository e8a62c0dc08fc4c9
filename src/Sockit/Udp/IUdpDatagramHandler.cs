namespace Sockit.Udp;

/// <summary>What a <see cref="UdpServer"/> does with each datagram it receives (echo it, count it, print it...).</summary>
public interface IUdpDatagramHandler
{
    /// <summary>
    /// Handles one datagram from <paramref name="peer"/>. Called on the server's one receive loop, one datagram at
    /// a time; the next receive waits for it, so keep it quick.
    /// </summary>
    /// <param name="server">The server that received it: reply through <see cref="UdpServer.SendAsync"/>.</param>
    /// <param name="peer">The sender, already counted in the server's peer table.</param>
    /// <param name="datagram">The payload; valid only until the returned task completes.</param>
    /// <param name="cancellationToken">Cancelled when the server stops.</param>
    ValueTask HandleAsync(UdpServer server, UdpPeer peer, ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken);
}
