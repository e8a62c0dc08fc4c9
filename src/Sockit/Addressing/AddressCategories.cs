namespace Sockit.Addressing;

/// <summary>Text for <see cref="AddressCategory"/>.</summary>
public static class AddressCategories
{
    /// <summary>The kebab-case name printed by <c>sockit ip info</c> and used in its JSON: <c>private-use</c>, <c>6to4</c>.</summary>
    public static string Name(AddressCategory category) => category switch
    {
        AddressCategory.Global => "global",
        AddressCategory.Unspecified => "unspecified",
        AddressCategory.ThisNetwork => "this-network",
        AddressCategory.Loopback => "loopback",
        AddressCategory.PrivateUse => "private-use",
        AddressCategory.Shared => "shared",
        AddressCategory.LinkLocal => "link-local",
        AddressCategory.Multicast => "multicast",
        AddressCategory.LimitedBroadcast => "limited-broadcast",
        AddressCategory.Documentation => "documentation",
        AddressCategory.Benchmarking => "benchmarking",
        AddressCategory.Reserved => "reserved",
        AddressCategory.ProtocolAssignment => "protocol-assignment",
        AddressCategory.UniqueLocal => "unique-local",
        AddressCategory.Ipv4Mapped => "ipv4-mapped",
        AddressCategory.Translation => "ipv4-ipv6-translation",
        AddressCategory.SixToFour => "6to4",
        AddressCategory.Teredo => "teredo",
        AddressCategory.DiscardOnly => "discard-only",
        AddressCategory.Anycast => "anycast",
        AddressCategory.As112 => "as112",
        AddressCategory.Amt => "amt",
        AddressCategory.Orchid => "orchid",
        AddressCategory.Deprecated => "deprecated",
        AddressCategory.SegmentRouting => "segment-routing",
        AddressCategory.DroneRemoteId => "drone-remote-id",
        AddressCategory.HostInternal => "host-internal",
        AddressCategory.Nat64Discovery => "nat64-discovery",
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, null),
    };
}
