using System.Net.NetworkInformation;

namespace Sockit.Capture;

/// <summary>An Ethernet II header (IEEE 802.3; 14 bytes). On Linux's loopback interface both addresses are zero.</summary>
/// <param name="Destination">The destination MAC address.</param>
/// <param name="Source">The source MAC address.</param>
/// <param name="EtherType">What the payload is: 0x0800 IPv4, 0x86DD IPv6 (IANA EtherType registry).</param>
public sealed record LinkHeader(PhysicalAddress Destination, PhysicalAddress Source, ushort EtherType)
{
    /// <summary>The length of an Ethernet II header in bytes.</summary>
    public const int Length = 14;
}
