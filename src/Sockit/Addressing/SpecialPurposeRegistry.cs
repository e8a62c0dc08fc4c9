using System.Net;
using System.Net.Sockets;

namespace Sockit.Addressing;

/// <summary>
/// The IANA IPv4 and IPv6 special-purpose address registries (RFC 6890 defines them; the rows cite each RFC),
/// plus the multicast blocks from the addressing architectures. .NET has predicates for only a few of these
/// (loopback, link-local, multicast) and none for IPv4 private or shared space, so Sockit carries its own table.
/// </summary>
/// <remarks>Snapshot of <c>iana-ipv4-special-registry</c> and <c>iana-ipv6-special-registry</c> as of 2025.
/// Immutable; safe to use from any thread.</remarks>
public static partial class SpecialPurposeRegistry
{
    /// <summary>Every IPv4 row, in registry order.</summary>
    public static IReadOnlyList<SpecialPurposeBlock> IPv4 => _ipv4;

    /// <summary>Every IPv6 row, in registry order.</summary>
    public static IReadOnlyList<SpecialPurposeBlock> IPv6 => _ipv6;

    /// <summary>Every block containing <paramref name="address"/>, the most specific first.</summary>
    public static IReadOnlyList<SpecialPurposeBlock> Match(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var table = address.AddressFamily == AddressFamily.InterNetwork ? _ipv4 : _ipv6;
        return [.. table.Where(b => b.Network.Contains(address)).OrderByDescending(b => b.Network.PrefixLength)];
    }

    /// <summary>
    /// Whether <paramref name="address"/> is globally reachable: the most specific block that answers decides
    /// (so <c>192.0.0.9</c>, PCP anycast, is global inside the non-global <c>192.0.0.0/24</c>); an address in no
    /// block is global; an address only in blocks that say N/A (6to4, Teredo, multicast) is not called global.
    /// </summary>
    public static bool IsGloballyReachable(IPAddress address)
    {
        var blocks = Match(address);
        return blocks.Count == 0 || (blocks.FirstOrDefault(b => b.GloballyReachable is not null)?.GloballyReachable ?? false);
    }

    private static SpecialPurposeBlock Row(string network, string name, AddressCategory category, string reference, bool? global) =>
        new(Subnet.Parse(network), name, category, reference, global);
}
