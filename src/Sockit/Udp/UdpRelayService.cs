using System.Net.Sockets;
using Sockit.Framing;

namespace Sockit.Udp;

/// <summary>
/// <c>listen --udp --mode stdio</c>: hands every message of every datagram to <c>onMessage</c> (to print it with its
/// sender), and <see cref="SendAsync"/> sends a message (a stdin line) to the peer heard from last, or to every peer
/// remembered.
/// </summary>
/// <param name="framer">How messages are cut inside a datagram; owned by this service (one receive loop).</param>
/// <param name="onMessage">Called with each message and its sender; the message is valid only during the call.</param>
/// <param name="onBadFraming">Called when a datagram broke the framing, after the messages before the break.</param>
public sealed class UdpRelayService(DatagramFramer framer, Action<UdpPeer, ReadOnlyMemory<byte>> onMessage, Action<UdpPeer, FrameError>? onBadFraming = null)
    : IUdpDatagramHandler
{
    /// <inheritdoc />
    public ValueTask HandleAsync(UdpServer server, UdpPeer peer, ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken)
    {
        foreach (var message in framer.Split(datagram))
        {
            onMessage(peer, message);
        }

        if (framer.LastError is { } error)
        {
            onBadFraming?.Invoke(peer, error);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Sends <paramref name="message"/> as one datagram to the peer <paramref name="server"/> heard from last or, with
    /// <paramref name="toAll"/>, to every peer it remembers. A send that fails (too large, a socket error) goes to
    /// <paramref name="onFailed"/> and the others carry on: a server keeps serving.
    /// </summary>
    /// <returns>How many peers it was meant for: 0 when no peer has sent anything yet (UDP has no connection to reply on).</returns>
    public static async ValueTask<int> SendAsync(UdpServer server, ReadOnlyMemory<byte> message, bool toAll, Action<UdpPeer, Exception> onFailed,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(onFailed);
        UdpPeer[] targets = toAll ? server.SnapshotPeers() : server.LastPeer is { } last ? [last] : [];
        foreach (var peer in targets)
        {
            try
            {
                await server.SendAsync(peer, message, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is DatagramTooLargeException or SocketException)
            {
                onFailed(peer, ex);
            }
        }

        return targets.Length;
    }
}
