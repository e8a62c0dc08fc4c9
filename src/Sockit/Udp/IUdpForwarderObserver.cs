namespace Sockit.Udp;

/// <summary>
/// Hears what a <see cref="UdpForwarder"/> does that UDP keeps quiet about: sessions opened and expired, each
/// datagram relayed, and the datagrams it could not relay. Every method does nothing unless overridden.
/// </summary>
/// <remarks>Called on the forwarder's loops, one call at a time per method; keep it quick.</remarks>
public interface IUdpForwarderObserver
{
    /// <summary>A datagram from a new client opened <paramref name="session"/>; <paramref name="sessions"/> are open now.</summary>
    void OnSessionOpened(UdpForwardSession session, int sessions)
    {
    }

    /// <summary><paramref name="session"/> was closed after <paramref name="idleTimeout"/> with no datagram either way.</summary>
    void OnSessionExpired(UdpForwardSession session, TimeSpan idleTimeout)
    {
    }

    /// <summary>
    /// <paramref name="datagram"/> was relayed on <paramref name="session"/> in <paramref name="direction"/> (after the
    /// send succeeded). The memory is the forwarder's receive buffer: valid only during the call.
    /// </summary>
    void OnDatagram(UdpForwardSession session, Services.RelayDirection direction, ReadOnlyMemory<byte> datagram)
    {
    }

    /// <summary>
    /// Datagrams were dropped since the last report: called at most once a second, and once more when the forwarder
    /// stops, only when something was dropped. <paramref name="sessions"/> are open now.
    /// </summary>
    void OnDropped(UdpForwardDrops drops, int sessions)
    {
    }
}
