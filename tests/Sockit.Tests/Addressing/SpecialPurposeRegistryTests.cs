using System.Net;
using Sockit.Addressing;
using static Sockit.Addressing.AddressCategory;

namespace Sockit.Tests.Addressing;

public sealed class SpecialPurposeRegistryTests
{
    public static TheoryData<string> AllRows() =>
        [.. SpecialPurposeRegistry.IPv4.Concat(SpecialPurposeRegistry.IPv6).Select(b => b.Network.ToString())];

    // One row per registry entry: an address inside it, the category it must report and whether it is global.
    [Theory]
    [InlineData("0.1.2.3", ThisNetwork, false)]
    [InlineData("0.0.0.0", Unspecified, false)]
    [InlineData("10.20.30.40", PrivateUse, false)]
    [InlineData("100.64.1.1", Shared, false)]
    [InlineData("127.0.0.53", Loopback, false)]
    [InlineData("169.254.10.20", LinkLocal, false)]
    [InlineData("172.31.255.255", PrivateUse, false)]
    [InlineData("192.0.0.100", ProtocolAssignment, false)]
    [InlineData("192.0.0.5", HostInternal, false)]
    [InlineData("192.0.0.8", HostInternal, false)]
    [InlineData("192.0.0.9", Anycast, true)]
    [InlineData("192.0.0.10", Anycast, true)]
    [InlineData("192.0.0.170", Nat64Discovery, false)]
    [InlineData("192.0.0.171", Nat64Discovery, false)]
    [InlineData("192.0.2.1", Documentation, false)]
    [InlineData("192.31.196.1", As112, true)]
    [InlineData("192.52.193.1", Amt, true)]
    [InlineData("192.88.99.1", Deprecated, false)]
    [InlineData("192.168.1.5", PrivateUse, false)]
    [InlineData("192.175.48.1", As112, true)]
    [InlineData("198.19.0.1", Benchmarking, false)]
    [InlineData("198.51.100.7", Documentation, false)]
    [InlineData("203.0.113.9", Documentation, false)]
    [InlineData("250.1.2.3", Reserved, false)]
    [InlineData("255.255.255.255", LimitedBroadcast, false)]
    [InlineData("239.255.255.250", Multicast, false)]
    [InlineData("::1", Loopback, false)]
    [InlineData("::", Unspecified, false)]
    [InlineData("::ffff:10.0.0.1", Ipv4Mapped, false)]
    [InlineData("64:ff9b::192.0.2.1", Translation, true)]
    [InlineData("64:ff9b:1::1", Translation, false)]
    [InlineData("100::1", DiscardOnly, false)]
    [InlineData("100:0:0:1::1", HostInternal, false)]
    [InlineData("2001:100::1", ProtocolAssignment, false)]
    [InlineData("2001:0:4136:e378::1", Teredo, false)]
    [InlineData("2001:1::1", Anycast, true)]
    [InlineData("2001:1::2", Anycast, true)]
    [InlineData("2001:1::3", Anycast, true)]
    [InlineData("2001:2::1", Benchmarking, false)]
    [InlineData("2001:3::1", Amt, true)]
    [InlineData("2001:4:112::1", As112, true)]
    [InlineData("2001:10::1", Deprecated, false)]
    [InlineData("2001:20::1", Orchid, true)]
    [InlineData("2001:30::1", DroneRemoteId, true)]
    [InlineData("2001:db8::1", Documentation, false)]
    [InlineData("2002:c000:204::1", SixToFour, false)]
    [InlineData("2620:4f:8000::1", As112, true)]
    [InlineData("3fff::1", Documentation, false)]
    [InlineData("5f00::1", SegmentRouting, false)]
    [InlineData("fd12:3456::1", UniqueLocal, false)]
    [InlineData("fe80::1", LinkLocal, false)]
    [InlineData("ff02::1", Multicast, false)]
    public void EveryRowClassifiesItsAddresses(string text, AddressCategory category, bool global)
    {
        var info = AddressInfo.Of(IPAddress.Parse(text));

        Assert.Equal(category, info.Categories[0]);
        Assert.Equal(global, info.IsGlobal);
        Assert.Equal(global, info.Categories.Contains(Global));
    }

    [Theory]
    [MemberData(nameof(AllRows))]
    public void EveryRowContainsItsFirstAndLastAddress(string network)
    {
        var subnet = Subnet.Parse(network);
        var rows = SpecialPurposeRegistry.IPv4.Concat(SpecialPurposeRegistry.IPv6).Where(b => b.Network.ToString() == network).ToArray();

        Assert.NotEmpty(rows);
        Assert.Contains(rows[0], SpecialPurposeRegistry.Match(subnet.Network));
        Assert.Contains(rows[0], SpecialPurposeRegistry.Match(subnet.PrefixLength >= 127 || subnet.Broadcast is null ? subnet.LastHost : subnet.Broadcast));
        Assert.False(subnet.HostBitsSet);
        Assert.StartsWith("RFC ", rows[0].Reference, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("2606:4700::1111")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    public void OrdinaryAddressesAreGlobal(string text)
    {
        var info = AddressInfo.Of(IPAddress.Parse(text));

        Assert.Equal([Global], info.Categories);
        Assert.Empty(info.Blocks);
    }

    [Fact]
    public void TheMostSpecificBlockComesFirst()
    {
        var blocks = SpecialPurposeRegistry.Match(IPAddress.Parse("192.0.0.9"));

        Assert.Equal(["192.0.0.9/32", "192.0.0.0/24"], blocks.Select(b => b.Network.ToString()));
    }

    [Fact]
    public void AnIpv4MappedAddressAlsoDescribesTheIpv4Inside()
    {
        var info = AddressInfo.Of(IPAddress.Parse("::ffff:127.0.0.1"));

        Assert.Equal(Ipv4Mapped, info.Categories[0]);
        Assert.Equal([Loopback], info.EmbeddedIPv4?.Categories);
        Assert.Equal(6, info.Version);
    }

    [Fact]
    public void EveryCategoryHasAName() =>
        Assert.All(Enum.GetValues<AddressCategory>(), c => Assert.Matches("^[a-z0-9-]+$", AddressCategories.Name(c)));
}
