using System.Net;
using System.Net.Sockets;

namespace Sockit.Addressing;

/// <summary>What an address is: its family, the special-purpose blocks it falls in and whether it is global.</summary>
/// <param name="Address">The address (any IPv6 scope id removed).</param>
/// <param name="Blocks">The registry rows containing it, the most specific first; empty for an ordinary address.</param>
/// <param name="IsGlobal">Whether it is globally reachable (see <see cref="SpecialPurposeRegistry.IsGloballyReachable"/>).</param>
/// <param name="EmbeddedIPv4">For an IPv4-mapped IPv6 address, what the IPv4 address inside it is; else null.</param>
public sealed record AddressInfo(IPAddress Address, IReadOnlyList<SpecialPurposeBlock> Blocks, bool IsGlobal, AddressInfo? EmbeddedIPv4)
{
    /// <summary>4 or 6.</summary>
    public int Version => Address.AddressFamily == AddressFamily.InterNetwork ? 4 : 6;

    /// <summary>Every distinct category, the most specific first; <see cref="AddressCategory.Global"/> is added when
    /// <see cref="IsGlobal"/>, so an ordinary address has exactly that one.</summary>
    public IReadOnlyList<AddressCategory> Categories =>
        [.. Blocks.Select(b => b.Category).Concat(IsGlobal ? [AddressCategory.Global] : []).Distinct()];

    /// <summary>Classifies <paramref name="address"/> against the special-purpose registries.</summary>
    public static AddressInfo Of(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bare = address.AddressFamily == AddressFamily.InterNetworkV6 ? new IPAddress(address.GetAddressBytes()) : address;
        var embedded = bare.IsIPv4MappedToIPv6 ? Of(bare.MapToIPv4()) : null;
        return new AddressInfo(bare, SpecialPurposeRegistry.Match(bare), SpecialPurposeRegistry.IsGloballyReachable(bare), embedded);
    }
}
