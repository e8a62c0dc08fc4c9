namespace Sockit.Capture;

/// <summary>
/// One captured Ethernet frame taken apart layer by layer: link, network (IP), transport (TCP or UDP) and the
/// application's bytes. Offsets count from the first byte of the frame.
/// </summary>
/// <param name="Link">The Ethernet header (bytes 0 to 13).</param>
/// <param name="Ip">The IP header, at <see cref="LinkHeader.Length"/>.</param>
/// <param name="Tcp">The TCP header when the IP payload is TCP, else null.</param>
/// <param name="Udp">The UDP header when the IP payload is UDP, else null.</param>
/// <param name="TransportOffset">Where the TCP or UDP header starts.</param>
/// <param name="PayloadOffset">Where the application's bytes start.</param>
/// <param name="PayloadLength">How many application bytes the packet carries (from the IP length, never past the captured bytes).</param>
public sealed record DecodedPacket(
    LinkHeader Link,
    IpHeader Ip,
    TcpHeader? Tcp,
    UdpHeader? Udp,
    int TransportOffset,
    int PayloadOffset,
    int PayloadLength);
