using System.Text.Json.Serialization;
using Sockit.Addressing;
using Sockit.Cli.Commands;

namespace Sockit.Cli.Output.Json;

/// <summary><c>sockit resolve NAME --json</c>: a forward lookup, or a reverse one for an IP address.</summary>
/// <param name="Query">The name or address asked for.</param>
/// <param name="Reverse">True when the query was an address (a reverse, PTR, lookup).</param>
/// <param name="CanonicalName">The canonical name (forward), or the address's name (reverse).</param>
/// <param name="Aliases">Other names the resolver gave.</param>
/// <param name="Addresses">Every address, in the resolver's order.</param>
internal sealed record ResolveDocument(string Query, bool Reverse, string CanonicalName, IReadOnlyList<string> Aliases, IReadOnlyList<ResolvedAddress> Addresses)
{
    /// <param name="resolution">The lookup.</param>
    /// <param name="reverseNames">With <c>--all</c>, each address's reverse name (null when it has none); else null.</param>
    public static ResolveDocument From(Resolution resolution, IReadOnlyList<string?>? reverseNames) => new(
        resolution.Query,
        resolution.IsReverse,
        resolution.CanonicalName,
        resolution.Aliases,
        [.. resolution.Addresses.Select((a, i) => reverseNames is null ? new ResolvedAddress(InetNtop.Format(a), FactsOutput.FamilyName(a)) : new ResolvedAddressWithName(InetNtop.Format(a), FactsOutput.FamilyName(a), reverseNames[i]))]);
}

/// <summary>One address of a lookup.</summary>
/// <param name="Address">The address (RFC 5952 for IPv6).</param>
/// <param name="Family"><c>ipv4</c> or <c>ipv6</c>.</param>
[JsonDerivedType(typeof(ResolvedAddressWithName))] // no discriminator: the derived record just adds its property
internal record ResolvedAddress(string Address, string Family);

/// <summary>One address of a lookup with <c>--all</c>: also its reverse name.</summary>
/// <param name="ReverseName">The address's reverse (PTR) name, null when it has none. (Ordered last: STJ writes a derived type's own properties first.)</param>
internal sealed record ResolvedAddressWithName(string Address, string Family, [property: JsonPropertyOrder(1)] string? ReverseName) : ResolvedAddress(Address, Family);
