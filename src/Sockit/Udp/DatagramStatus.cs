namespace Sockit.Udp;

/// <summary>What happened to one datagram sent or received by a <see cref="UdpEndpoint"/>.</summary>
public enum DatagramStatus
{
    /// <summary>The datagram was received whole, or handed to the kernel to send.</summary>
    Ok,

    /// <summary>
    /// The datagram was larger than <see cref="UdpEndpointOptions.MaxDatagramSize"/>: only the first
    /// <c>MaxDatagramSize</c> bytes were kept. Reported, never silently cut.
    /// </summary>
    Truncated,

    /// <summary>
    /// An ICMP port-unreachable came back for an earlier datagram: nothing listened where it went. No datagram
    /// was received (or sent). UDP has no connection, so this is news about the past, not a broken socket.
    /// </summary>
    PortUnreachable,
}
