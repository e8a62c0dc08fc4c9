using Sockit.Addressing;

namespace Sockit.Tests.Addressing;

public sealed class InetNtopTests
{
    [Theory]
    [InlineData("7f000001", "127.0.0.1")]
    [InlineData("00000000", "0.0.0.0")]
    [InlineData("ffffffff", "255.255.255.255")]
    [InlineData("00000000000000000000000000000000", "::")]
    [InlineData("00000000000000000000000000000001", "::1")]
    [InlineData("20010db8000000000000000000000001", "2001:db8::1")]
    [InlineData("20010db8000000010000000000000001", "2001:db8:0:1::1")]
    [InlineData("20010db8000000000001000000000001", "2001:db8::1:0:0:1")]
    [InlineData("20010db8000100010001000100010001", "2001:db8:1:1:1:1:1:1")]
    [InlineData("20010db8000000010001000100010001", "2001:db8:0:1:1:1:1:1")]
    [InlineData("20010db800000000000100000000ffff", "2001:db8::1:0:0:ffff")]
    [InlineData("00010000000000000000000000000000", "1::")]
    [InlineData("00010002000300040005000600070000", "1:2:3:4:5:6:7:0")]
    [InlineData("00000000000000000000ffff01020304", "::ffff:1.2.3.4")]
    [InlineData("00000000000000000000000001020304", "::1.2.3.4")]
    [InlineData("0000000000000000ffff000001020304", "::ffff:0:102:304")]
    [InlineData("0064ff9b0000000000000000c0000221", "64:ff9b::c000:221")]
    [InlineData("FE800000000000000000000000000ABC", "fe80::abc")]
    public void FormatsRfc5952Text(string hex, string expected) =>
        Assert.Equal(expected, InetNtop.Format(Convert.FromHexString(hex)));

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(15)]
    [InlineData(17)]
    public void RejectsOtherLengths(int length) =>
        Assert.Throws<ArgumentException>(() => InetNtop.Format(new byte[length]));

    [Fact]
    public void NtoaTakesExactlyFourBytes()
    {
        Assert.Equal("192.168.1.2", InetNtop.FormatIPv4([192, 168, 1, 2]));
        Assert.Throws<ArgumentException>(() => InetNtop.FormatIPv4(new byte[16]));
    }
}
