using System.Net;
using Sockit.Diagnostics;

namespace Sockit.Udp;

/// <summary>
/// Hears what a <see cref="UdpServer"/> or a <see cref="UdpClientSession"/> does that UDP itself keeps quiet
/// about: a new peer, peers forgotten, an ICMP port-unreachable, a cut datagram, and every datagram in and out
/// (for hex dumps). Every method does nothing unless overridden.
/// </summary>
/// <remarks>
/// Called on the receive loop (or the sending task for <see cref="TrafficDirection.Out"/>): keep it quick and never
/// keep the datagram, which is valid only during the call.
/// </remarks>
public interface IUdpObserver
{
    /// <summary>A datagram came from a peer not remembered; <paramref name="peers"/> are remembered now.</summary>
    void OnPeerAdded(UdpPeer peer, int peers)
    {
    }

    /// <summary><paramref name="count"/> peers were forgotten after being quiet for <paramref name="idleTimeout"/>.</summary>
    void OnPeersExpired(int count, TimeSpan idleTimeout)
    {
    }

    /// <summary>
    /// An ICMP port-unreachable came back for an earlier datagram: nothing listened there. <paramref name="remote"/>
    /// is the one peer of a connected socket, or <see langword="null"/> when the socket cannot tell which peer it was.
    /// </summary>
    void OnPortUnreachable(IPEndPoint? remote)
    {
    }

    /// <summary>A datagram from <paramref name="peer"/> was larger than <paramref name="limit"/> bytes and was cut to that.</summary>
    void OnTruncated(UdpPeer peer, int limit)
    {
    }

    /// <summary>A datagram went <paramref name="direction"/> to or from <paramref name="peer"/> (its name).</summary>
    void OnDatagram(TrafficDirection direction, string peer, ReadOnlyMemory<byte> datagram)
    {
    }

    /// <summary>A <see cref="UdpClientSession"/>'s input ended; it now waits <paramref name="wait"/> for late replies.</summary>
    void OnInputEnded(TimeSpan wait)
    {
    }
}
