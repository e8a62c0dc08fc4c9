using System.Net;

namespace Sockit.Capture;

/// <summary>The fields of an IPv4 (RFC 791) or IPv6 (RFC 8200) header that a learner reads.</summary>
/// <param name="Version">4 or 6.</param>
/// <param name="Source">The source address.</param>
/// <param name="Destination">The destination address.</param>
/// <param name="HeaderLength">The header's length in bytes (IPv4: IHL × 4, 20 to 60; IPv6: 40, extension headers not followed).</param>
/// <param name="TotalLength">The packet's length in bytes, header included.</param>
/// <param name="Protocol">The payload's protocol number (6 TCP, 17 UDP): IPv4's Protocol, IPv6's Next Header.</param>
/// <param name="TimeToLive">IPv4's TTL or IPv6's hop limit.</param>
/// <param name="Identification">IPv4's identification field; 0 for IPv6.</param>
/// <param name="DontFragment">IPv4's DF bit; false for IPv6.</param>
public sealed record IpHeader(
    int Version,
    IPAddress Source,
    IPAddress Destination,
    int HeaderLength,
    int TotalLength,
    int Protocol,
    int TimeToLive,
    int Identification,
    bool DontFragment);
