using System.Net;
using System.Net.Sockets;
using Sockit.Addressing;

namespace Sockit.Tests.Addressing;

public sealed class InetPtonTests
{
    [Theory]
    [InlineData("0.0.0.0", "00000000")]
    [InlineData("127.0.0.1", "7f000001")]
    [InlineData("255.255.255.255", "ffffffff")]
    [InlineData("192.168.1.2", "c0a80102")]
    public void Ipv4IsExactlyADottedQuad(string text, string hex) =>
        Assert.Equal(hex, Convert.ToHexStringLower(InetPton.Parse(text, AddressFamily.InterNetwork).GetAddressBytes()));

    [Theory]
    [InlineData("127.1", "fewer than four parts")]
    [InlineData("1.2.3", "fewer than four parts")]
    [InlineData("1.2.3.4.5", "more than four parts")]
    [InlineData("01.2.3.4", "leading zeros")]
    [InlineData("1.2.3.00", "leading zeros")]
    [InlineData("256.0.0.1", "0-255")]
    [InlineData("1.2.3.4:80", "a port")]
    [InlineData("1..2.3", "empty part")]
    [InlineData("1.2.3.", "empty part")]
    [InlineData(" 1.2.3.4", "unexpected")]
    [InlineData("0x7f.0.0.1", "unexpected 'x'")]
    [InlineData("", "empty")]
    [InlineData("::1", "IPv6")]
    public void Ipv4RejectsShorthandAndJunk(string text, string reason)
    {
        Assert.False(InetPton.TryParse(text, AddressFamily.InterNetwork, out _, out var error));
        Assert.StartsWith($"'{text}' is not an IPv4 address: ", error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("::", "00000000000000000000000000000000")]
    [InlineData("::1", "00000000000000000000000000000001")]
    [InlineData("1::", "00010000000000000000000000000000")]
    [InlineData("2001:db8::1", "20010db8000000000000000000000001")]
    [InlineData("2001:DB8:0:0:0:0:0:1", "20010db8000000000000000000000001")]
    [InlineData("1:2:3:4:5:6:7:8", "00010002000300040005000600070008")]
    [InlineData("1:2:3:4:5:6:7::", "00010002000300040005000600070000")]
    [InlineData("::2:3:4:5:6:7:8", "00000002000300040005000600070008")]
    [InlineData("::ffff:1.2.3.4", "00000000000000000000ffff01020304")]
    [InlineData("::1.2.3.4", "00000000000000000000000001020304")]
    [InlineData("1:2:3:4:5:6:1.2.3.4", "00010002000300040005000601020304")]
    [InlineData("64:ff9b::192.0.2.33", "0064ff9b0000000000000000c0000221")]
    [InlineData("fe80::0001", "fe800000000000000000000000000001")]
    public void Ipv6FollowsRfc4291Text(string text, string hex) =>
        Assert.Equal(hex, Convert.ToHexStringLower(InetPton.Parse(text, AddressFamily.InterNetworkV6).GetAddressBytes()));

    [Theory]
    [InlineData("[::1]", "brackets")]
    [InlineData("[::1]:80", "brackets")]
    [InlineData("fe80::1%eth0", "%scope")]
    [InlineData("fe80::1%1", "%scope")]
    [InlineData(":1::", "leading ':'")]
    [InlineData("1::2::3", "only once")]
    [InlineData("1:2:3:4:5:6:7:8:9", "more than eight groups")]
    [InlineData("1:2:3:4:5:6:7::8", "at least one zero group")]
    [InlineData("1:2:3:4:5:6:7", "fewer than eight")]
    [InlineData("12345::", "more than four hex digits")]
    [InlineData("1:", "trailing ':'")]
    [InlineData("::g", "unexpected 'g'")]
    [InlineData("::1.2.3", "bad IPv4 tail")]
    [InlineData("::01.2.3.4", "bad IPv4 tail")]
    [InlineData("1:2:3:4:5:6:7:1.2.3.4", "does not fit")]
    [InlineData("1.2.3.4", "fewer than eight")]
    [InlineData("", "empty")]
    [InlineData(" ::1", "unexpected")]
    public void Ipv6RejectsBracketsScopesAndMalformedText(string text, string reason)
    {
        Assert.False(InetPton.TryParse(text, AddressFamily.InterNetworkV6, out _, out var error));
        Assert.StartsWith($"'{text}' is not an IPv6 address: ", error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.1")]
    [InlineData("[::1]")]
    [InlineData("fe80::1%eth0")]
    public void IsStricterThanIPAddressParse(string text)
    {
        Assert.True(IPAddress.TryParse(text, out _));
        Assert.False(InetPton.TryParse(text, out _));
    }

    [Fact]
    public void ParseChoosesTheFamilyByColons()
    {
        Assert.Equal(AddressFamily.InterNetworkV6, InetPton.Parse("::1").AddressFamily);
        Assert.Equal(AddressFamily.InterNetwork, InetPton.Parse("10.0.0.1").AddressFamily);
        var ex = Assert.Throws<FormatException>(() => InetPton.Parse("1.2.3.4:80"));
        Assert.Contains("IPv4", ex.Message, StringComparison.Ordinal);
    }
}
