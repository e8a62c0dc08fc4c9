using System.Globalization;
using System.Text.Json.Serialization;
using Sockit.Addressing;

namespace Sockit.Cli.Output.Json;

/// <summary><c>sockit ip info ADDR[/PREFIX] --json</c>: what the address is and, with a prefix, the subnet arithmetic.</summary>
/// <param name="Input">The argument as given.</param>
/// <param name="Address">The address (RFC 5952 for IPv6).</param>
/// <param name="Version">4 or 6.</param>
/// <param name="Categories">Category names (<c>loopback</c>, <c>private-use</c>, <c>global</c>…), the most specific first.</param>
/// <param name="GloballyReachable">The IANA registry's "globally reachable" for the address.</param>
/// <param name="Blocks">The IANA special-purpose registry rows containing the address; empty for an ordinary address.</param>
/// <param name="EmbeddedIPv4">For an IPv6 address that carries an IPv4 one (IPv4-mapped, NAT64…): that address's facts; else absent.</param>
/// <param name="Subnet">With <c>/PREFIX</c>: the subnet; else absent.</param>
internal sealed record IpInfoDocument(
    string Input,
    string Address,
    int Version,
    IReadOnlyList<string> Categories,
    bool GloballyReachable,
    IReadOnlyList<AddressBlock> Blocks,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] EmbeddedAddress? EmbeddedIPv4,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SubnetFacts? Subnet)
{
    public static IpInfoDocument From(string input, AddressInfo info, Subnet? subnet) => new(
        input,
        InetNtop.Format(info.Address),
        info.Version,
        CategoryNames(info),
        info.IsGlobal,
        BlockRows(info),
        info.EmbeddedIPv4 is { } v4 ? new EmbeddedAddress(InetNtop.Format(v4.Address), v4.Version, CategoryNames(v4), v4.IsGlobal, BlockRows(v4)) : null,
        subnet is null ? null : SubnetFacts.From(subnet));

    private static IReadOnlyList<string> CategoryNames(AddressInfo info) => [.. info.Categories.Select(AddressCategories.Name)];

    private static IReadOnlyList<AddressBlock> BlockRows(AddressInfo info) =>
        [.. info.Blocks.Select(b => new AddressBlock(b.Network.ToString(), b.Name, AddressCategories.Name(b.Category), b.Reference))];
}

/// <summary>The IPv4 address inside an IPv6 one: the same fields as the document's own address.</summary>
internal sealed record EmbeddedAddress(string Address, int Version, IReadOnlyList<string> Categories, bool GloballyReachable, IReadOnlyList<AddressBlock> Blocks);

/// <summary>One row of the IANA special-purpose address registry.</summary>
/// <param name="Network">The block (<c>127.0.0.0/8</c>).</param>
/// <param name="Name">The registry's name for it (<c>Loopback</c>).</param>
/// <param name="Category">Sockit's category name for it (<c>loopback</c>).</param>
/// <param name="Reference">The RFC that defines it (<c>RFC 1122</c>).</param>
internal sealed record AddressBlock(string Network, string Name, string Category, string Reference);

/// <summary>The subnet arithmetic of <c>ADDR/PREFIX</c>. Addresses are text; counts are decimal strings, because an
/// IPv6 count reaches 2^128, beyond the integers JSON readers keep exact.</summary>
/// <param name="Network">The network address.</param>
/// <param name="PrefixLength">The prefix length in bits.</param>
/// <param name="HostBitsSet">True when the given address is a host inside the network, not the network address itself.</param>
/// <param name="Netmask">The mask as an address.</param>
/// <param name="Wildcard">The inverted mask (Cisco ACL style).</param>
/// <param name="Broadcast">IPv4 with a prefix under /31: the broadcast address; else null (IPv6 has none).</param>
/// <param name="FirstHost">The first usable host.</param>
/// <param name="LastHost">The last usable host.</param>
/// <param name="Addresses">How many addresses the subnet has, as a decimal string.</param>
/// <param name="UsableHosts">How many of them are usable hosts, as a decimal string.</param>
internal sealed record SubnetFacts(
    string Network,
    int PrefixLength,
    bool HostBitsSet,
    string Netmask,
    string Wildcard,
    string? Broadcast,
    string FirstHost,
    string LastHost,
    string Addresses,
    string UsableHosts)
{
    public static SubnetFacts From(Subnet subnet) => new(
        InetNtop.Format(subnet.Network),
        subnet.PrefixLength,
        subnet.HostBitsSet,
        InetNtop.Format(subnet.Netmask),
        InetNtop.Format(subnet.Wildcard),
        subnet.Broadcast is { } b ? InetNtop.Format(b) : null,
        InetNtop.Format(subnet.FirstHost),
        InetNtop.Format(subnet.LastHost),
        subnet.AddressCount.ToString(CultureInfo.InvariantCulture),
        subnet.UsableHostCount.ToString(CultureInfo.InvariantCulture));
}
