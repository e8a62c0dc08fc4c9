namespace Sockit.Addressing;

/// <summary>One row of an IANA special-purpose address registry.</summary>
/// <param name="Network">The address block.</param>
/// <param name="Name">The registry's name for the block, e.g. <c>Private-Use</c>.</param>
/// <param name="Category">What the block is for.</param>
/// <param name="Reference">The defining RFC(s), e.g. <c>RFC 1918</c>.</param>
/// <param name="GloballyReachable">The registry's "Globally Reachable" column; null where it says N/A.</param>
public sealed record SpecialPurposeBlock(Subnet Network, string Name, AddressCategory Category, string Reference, bool? GloballyReachable);
