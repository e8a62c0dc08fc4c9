using static Sockit.Addressing.AddressCategory;

namespace Sockit.Addressing;

public static partial class SpecialPurposeRegistry
{
    // https://www.iana.org/assignments/iana-ipv6-special-registry, in its order. The last column is
    // "Globally Reachable"; a more specific row overrides a less specific one (2001:1::1 inside 2001::/23).
    private static readonly SpecialPurposeBlock[] _ipv6 =
    [
        Row("::1/128", "Loopback Address", Loopback, "RFC 4291 §2.5.3", false),
        Row("::/128", "Unspecified Address", Unspecified, "RFC 4291 §2.5.2", false),
        Row("::ffff:0:0/96", "IPv4-mapped Address", Ipv4Mapped, "RFC 4291 §2.5.5.2", false),
        Row("64:ff9b::/96", "IPv4-IPv6 Translat.", Translation, "RFC 6052", true),
        Row("64:ff9b:1::/48", "IPv4-IPv6 Translat.", Translation, "RFC 8215", false),
        Row("100::/64", "Discard-Only Address Block", DiscardOnly, "RFC 6666", false),
        Row("100:0:0:1::/64", "Dummy IPv6 Prefix", HostInternal, "RFC 9780", false),
        Row("2001::/23", "IETF Protocol Assignments", ProtocolAssignment, "RFC 2928", false),
        Row("2001::/32", "TEREDO", Teredo, "RFC 4380, RFC 8190", null),
        Row("2001:1::1/128", "Port Control Protocol Anycast", Anycast, "RFC 7723", true),
        Row("2001:1::2/128", "Traversal Using Relays around NAT Anycast", Anycast, "RFC 8155", true),
        Row("2001:1::3/128", "DNS-SD Service Registration Protocol Anycast", Anycast, "RFC 9665", true),
        Row("2001:2::/48", "Benchmarking", Benchmarking, "RFC 5180, RFC Errata 1752", false),
        Row("2001:3::/32", "AMT", Amt, "RFC 7450", true),
        Row("2001:4:112::/48", "AS112-v6", As112, "RFC 7535", true),
        Row("2001:10::/28", "Deprecated (previously ORCHID)", Deprecated, "RFC 4843", null),
        Row("2001:20::/28", "ORCHIDv2", Orchid, "RFC 7343", true),
        Row("2001:30::/28", "Drone Remote ID Protocol Entity Tags (DETs) Prefix", DroneRemoteId, "RFC 9374", true),
        Row("2001:db8::/32", "Documentation", Documentation, "RFC 3849", false),
        Row("2002::/16", "6to4", SixToFour, "RFC 3056", null),
        Row("2620:4f:8000::/48", "Direct Delegation AS112 Service", As112, "RFC 7534", true),
        Row("3fff::/20", "Documentation", Documentation, "RFC 9637", false),
        Row("5f00::/16", "Segment Routing (SRv6) SIDs", SegmentRouting, "RFC 9602", false),
        Row("fc00::/7", "Unique-Local", UniqueLocal, "RFC 4193, RFC 8190", false),
        Row("fe80::/10", "Link-Local Unicast", LinkLocal, "RFC 4291 §2.5.6", false),

        // Not in the special-purpose registry: the multicast prefix of the addressing architecture itself.
        Row("ff00::/8", "Multicast", Multicast, "RFC 4291 §2.7", null),
    ];
}
