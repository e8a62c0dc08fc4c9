using System.Numerics;
using Sockit.Addressing;

namespace Sockit.Tests.Addressing;

public sealed class SubnetTests
{
    [Fact]
    public void Ipv4SubnetArithmetic()
    {
        var s = Subnet.Parse("192.168.1.0/24");

        Assert.Equal("192.168.1.0/24", s.ToString());
        Assert.False(s.HostBitsSet);
        Assert.Equal("255.255.255.0", s.Netmask.ToString());
        Assert.Equal("0.0.0.255", s.Wildcard.ToString());
        Assert.Equal("192.168.1.255", s.Broadcast?.ToString());
        Assert.Equal("192.168.1.1", s.FirstHost.ToString());
        Assert.Equal("192.168.1.254", s.LastHost.ToString());
        Assert.Equal(256, s.AddressCount);
        Assert.Equal(254, s.UsableHostCount);
    }

    [Fact]
    public void HostBitsAreAcceptedAndReported()
    {
        var s = Subnet.Parse("192.168.1.5/24");

        Assert.True(s.HostBitsSet);
        Assert.Equal("192.168.1.5", s.Address.ToString());
        Assert.Equal("192.168.1.0", s.Network.ToString());
        Assert.True(s.Contains(System.Net.IPAddress.Parse("192.168.1.200")));
        Assert.False(s.Contains(System.Net.IPAddress.Parse("192.168.2.1")));
    }

    [Theory]
    [InlineData("10.0.0.0/31", null, "10.0.0.0", "10.0.0.1", 2, 2)]
    [InlineData("10.0.0.7/32", null, "10.0.0.7", "10.0.0.7", 1, 1)]
    [InlineData("10.0.0.0/30", "10.0.0.3", "10.0.0.1", "10.0.0.2", 4, 2)]
    [InlineData("0.0.0.0/0", "255.255.255.255", "0.0.0.1", "255.255.255.254", 4294967296L, 4294967294L)]
    [InlineData("10.0.0.0/255.255.0.0", "10.0.255.255", "10.0.0.1", "10.0.255.254", 65536, 65534)]
    public void Ipv4EdgePrefixes(string text, string? broadcast, string first, string last, long count, long usable)
    {
        var s = Subnet.Parse(text);

        Assert.Equal(broadcast, s.Broadcast?.ToString());
        Assert.Equal(first, s.FirstHost.ToString());
        Assert.Equal(last, s.LastHost.ToString());
        Assert.Equal(count, s.AddressCount);
        Assert.Equal(usable, s.UsableHostCount);
    }

    [Theory]
    [InlineData("2001:db8::/64", "2001:db8::", "ffff:ffff:ffff:ffff::", "::ffff:ffff:ffff:ffff", "2001:db8::1", "2001:db8::ffff:ffff:ffff:ffff", 64)]
    [InlineData("2001:db8::1/127", "2001:db8::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", "::1", "2001:db8::", "2001:db8::1", 1)]
    [InlineData("::1/128", "::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::", "::1", "::1", 0)]
    [InlineData("::/0", "::", "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 128)]
    public void Ipv6SubnetArithmetic(string text, string network, string netmask, string wildcard, string first, string last, int hostBits)
    {
        var s = Subnet.Parse(text);

        Assert.Equal(network, InetNtop.Format(s.Network));
        Assert.Equal(netmask, InetNtop.Format(s.Netmask));
        Assert.Equal(wildcard, InetNtop.Format(s.Wildcard));
        Assert.Null(s.Broadcast);
        Assert.Equal(first, InetNtop.Format(s.FirstHost));
        Assert.Equal(last, InetNtop.Format(s.LastHost));
        Assert.Equal(BigInteger.One << hostBits, s.AddressCount);
    }

    [Theory]
    [InlineData("10.0.0.0", "expected ADDRESS/PREFIX")]
    [InlineData("10.0.0.0/33", "'33' is not a prefix length")]
    [InlineData("10.0.0.0/", "'' is not a prefix length")]
    [InlineData("10.0.0.0/-1", "is not a prefix length")]
    [InlineData("10.0.0.0/255.0.255.0", "contiguous netmask")]
    [InlineData("::/129", "'129' is not a prefix length (0-128)")]
    [InlineData("10.1/8", "fewer than four parts")]
    [InlineData("[::1]/64", "brackets")]
    public void RejectsBadSubnets(string text, string reason)
    {
        var ex = Assert.Throws<FormatException>(() => Subnet.Parse(text));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith($"'{text}' is not a subnet", ex.Message, StringComparison.Ordinal);
    }
}
