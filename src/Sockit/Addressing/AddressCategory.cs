namespace Sockit.Addressing;

/// <summary>What an address is for, from the IANA IPv4 and IPv6 special-purpose address registries (RFC 6890)
/// and the multicast ranges. <see cref="AddressCategories.Name"/> gives the kebab-case name the CLI prints.</summary>
public enum AddressCategory
{
    /// <summary>An ordinary address: no special-purpose block that says otherwise covers it.</summary>
    Global,

    /// <summary><c>0.0.0.0/32</c>, <c>::/128</c>: "no address", used as a source before one is known and to bind to all.</summary>
    Unspecified,

    /// <summary><c>0.0.0.0/8</c>: "this network"; only valid as a source.</summary>
    ThisNetwork,

    /// <summary><c>127.0.0.0/8</c>, <c>::1/128</c>: this host; packets never leave it.</summary>
    Loopback,

    /// <summary>RFC 1918 <c>10/8</c>, <c>172.16/12</c>, <c>192.168/16</c>: private networks behind NAT.</summary>
    PrivateUse,

    /// <summary><c>100.64.0.0/10</c>: carrier-grade NAT space (RFC 6598).</summary>
    Shared,

    /// <summary><c>169.254.0.0/16</c>, <c>fe80::/10</c>: valid on one link only.</summary>
    LinkLocal,

    /// <summary><c>224.0.0.0/4</c>, <c>ff00::/8</c>: one-to-many delivery.</summary>
    Multicast,

    /// <summary><c>255.255.255.255/32</c>: every host on this link.</summary>
    LimitedBroadcast,

    /// <summary>TEST-NET blocks and <c>2001:db8::/32</c>, <c>3fff::/20</c>: for examples, never routed.</summary>
    Documentation,

    /// <summary><c>198.18.0.0/15</c>, <c>2001:2::/48</c>: network benchmarking.</summary>
    Benchmarking,

    /// <summary><c>240.0.0.0/4</c>: reserved for future use.</summary>
    Reserved,

    /// <summary><c>192.0.0.0/24</c>, <c>2001::/23</c>: IETF protocol assignments.</summary>
    ProtocolAssignment,

    /// <summary><c>fc00::/7</c>: unique local addresses, IPv6's private space (RFC 4193).</summary>
    UniqueLocal,

    /// <summary><c>::ffff:0:0/96</c>: an IPv4 address seen through an IPv6 socket.</summary>
    Ipv4Mapped,

    /// <summary><c>64:ff9b::/96</c>, <c>64:ff9b:1::/48</c>: NAT64 translation prefixes.</summary>
    Translation,

    /// <summary><c>2002::/16</c>: 6to4 tunnelling.</summary>
    SixToFour,

    /// <summary><c>2001::/32</c>: Teredo tunnelling.</summary>
    Teredo,

    /// <summary><c>100::/64</c>: packets to it are discarded (remote triggered black hole).</summary>
    DiscardOnly,

    /// <summary>Well-known anycast addresses: PCP, TURN, DNS-SD SRP.</summary>
    Anycast,

    /// <summary>AS112: sinks for reverse DNS queries about private space.</summary>
    As112,

    /// <summary>Automatic Multicast Tunneling relays.</summary>
    Amt,

    /// <summary>ORCHID identifiers (cryptographic hashes, not locators).</summary>
    Orchid,

    /// <summary>A block whose assignment was withdrawn (6to4 relay anycast, ORCHIDv1).</summary>
    Deprecated,

    /// <summary>Segment Routing over IPv6 SIDs.</summary>
    SegmentRouting,

    /// <summary>Drone Remote ID entity tags.</summary>
    DroneRemoteId,

    /// <summary>Dummy and service-continuity addresses used inside a host (464XLAT, DS-Lite, dummy next hops).</summary>
    HostInternal,

    /// <summary><c>192.0.0.170</c>, <c>192.0.0.171</c>: names used to discover a NAT64 prefix.</summary>
    Nat64Discovery,
}
