using Sockit.Addressing;

namespace Sockit.Tests.Addressing;

public sealed class InetAtonTests
{
    [Theory]
    [InlineData("127.0.0.1", 0x7f000001u)]
    [InlineData("127.1", 0x7f000001u)]
    [InlineData("0x7f.1", 0x7f000001u)]
    [InlineData("0177.0.0.1", 0x7f000001u)]
    [InlineData("10.1", 0x0a000001u)]
    [InlineData("10.0.1", 0x0a000001u)]
    [InlineData("192.168.257", 0xc0a80101u)]
    [InlineData("3232235778", 0xc0a80102u)]
    [InlineData("0xc0a80102", 0xc0a80102u)]
    [InlineData("0XC0.0Xa8.1.2", 0xc0a80102u)]
    [InlineData("030052000402", 0xc0a80102u)]
    [InlineData("4294967295", 0xffffffffu)]
    [InlineData("0", 0u)]
    [InlineData("00000000000000000001", 1u)]
    [InlineData("0x00000000ff", 0xffu)]
    [InlineData("1.0xffffff", 0x01ffffffu)]
    [InlineData("1.2.0xffff", 0x0102ffffu)]
    public void ParsesTheRealGrammar(string text, uint expected)
    {
        Assert.True(InetAton.TryParse(text, out var value, out var error), error);
        Assert.Equal(expected, value);
        Assert.Equal(InetAton.ToAddress(expected), InetAton.Parse(text));
    }

    [Theory]
    [InlineData("256.1.1.1", "above 255")]
    [InlineData("1.2.3.4.5", "more than four parts")]
    [InlineData("08.0.0.1", "not octal")]
    [InlineData("09", "not octal")]
    [InlineData("", "empty")]
    [InlineData("1.2.3.", "empty part")]
    [InlineData(".1.2.3", "expected a digit")]
    [InlineData("1..2", "expected a digit")]
    [InlineData("4294967296", "32 bits")]
    [InlineData("99999999999999999999999", "32 bits")]
    [InlineData("1.16777216", "3 remaining bytes")]
    [InlineData("1.2.65536", "2 remaining bytes")]
    [InlineData("1.2.3.256", "1 remaining byte")]
    [InlineData("0x", "unexpected 'x'")]
    [InlineData("0x1g", "unexpected 'g'")]
    [InlineData("+1", "expected a digit")]
    [InlineData(" 1.2.3.4", "expected a digit")]
    [InlineData("1.2.3.4 junk", "trailing text")]
    [InlineData("1.2.3.4\n", "trailing text")]
    [InlineData("1.2.3.4x", "unexpected 'x'")]
    [InlineData("1.2.3.4\0", "U+0000")]
    public void RejectsWhatInetAtonRejectsAndTrailingText(string text, string reason)
    {
        Assert.False(InetAton.TryParse(text, out _, out var error));
        Assert.StartsWith($"'{text}' is not an IPv4 address: ", error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => InetAton.Parse(text));
    }
}
