using static Sockit.Addressing.AddressCategory;

namespace Sockit.Addressing;

public static partial class SpecialPurposeRegistry
{
    // https://www.iana.org/assignments/iana-ipv4-special-registry, in its order. The last column is
    // "Globally Reachable"; the registry notes that a more specific row overrides a less specific one.
    private static readonly SpecialPurposeBlock[] _ipv4 =
    [
        Row("0.0.0.0/8", "This network", ThisNetwork, "RFC 791 §3.2", false),
        Row("0.0.0.0/32", "This host on this network", Unspecified, "RFC 1122 §3.2.1.3", false),
        Row("10.0.0.0/8", "Private-Use", PrivateUse, "RFC 1918", false),
        Row("100.64.0.0/10", "Shared Address Space", Shared, "RFC 6598", false),
        Row("127.0.0.0/8", "Loopback", Loopback, "RFC 1122 §3.2.1.3", false),
        Row("169.254.0.0/16", "Link Local", LinkLocal, "RFC 3927", false),
        Row("172.16.0.0/12", "Private-Use", PrivateUse, "RFC 1918", false),
        Row("192.0.0.0/24", "IETF Protocol Assignments", ProtocolAssignment, "RFC 6890 §2.1", false),
        Row("192.0.0.0/29", "IPv4 Service Continuity Prefix", HostInternal, "RFC 7335", false),
        Row("192.0.0.8/32", "IPv4 dummy address", HostInternal, "RFC 7600", false),
        Row("192.0.0.9/32", "Port Control Protocol Anycast", Anycast, "RFC 7723", true),
        Row("192.0.0.10/32", "Traversal Using Relays around NAT Anycast", Anycast, "RFC 8155", true),
        Row("192.0.0.170/32", "NAT64/DNS64 Discovery", Nat64Discovery, "RFC 8880, RFC 7050 §2.2", false),
        Row("192.0.0.171/32", "NAT64/DNS64 Discovery", Nat64Discovery, "RFC 8880, RFC 7050 §2.2", false),
        Row("192.0.2.0/24", "Documentation (TEST-NET-1)", Documentation, "RFC 5737", false),
        Row("192.31.196.0/24", "AS112-v4", As112, "RFC 7535", true),
        Row("192.52.193.0/24", "AMT", Amt, "RFC 7450", true),
        Row("192.88.99.0/24", "Deprecated (6to4 Relay Anycast)", Deprecated, "RFC 7526", null),
        Row("192.168.0.0/16", "Private-Use", PrivateUse, "RFC 1918", false),
        Row("192.175.48.0/24", "Direct Delegation AS112 Service", As112, "RFC 7534", true),
        Row("198.18.0.0/15", "Benchmarking", Benchmarking, "RFC 2544", false),
        Row("198.51.100.0/24", "Documentation (TEST-NET-2)", Documentation, "RFC 5737", false),
        Row("203.0.113.0/24", "Documentation (TEST-NET-3)", Documentation, "RFC 5737", false),
        Row("240.0.0.0/4", "Reserved", Reserved, "RFC 1112 §4", false),
        Row("255.255.255.255/32", "Limited Broadcast", LimitedBroadcast, "RFC 8190, RFC 919 §7", false),

        // Not in the special-purpose registry but in the IPv4 multicast address space registry (RFC 5771);
        // reachability depends on scope, hence N/A.
        Row("224.0.0.0/4", "Multicast", Multicast, "RFC 5771", null),
    ];
}
