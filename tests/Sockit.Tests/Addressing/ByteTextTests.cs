using Sockit.Addressing;

namespace Sockit.Tests.Addressing;

public sealed class ByteTextTests
{
    [Theory]
    [InlineData("c0a80102", "c0a80102")]
    [InlineData("0xC0A80102", "c0a80102")]
    [InlineData("c0:a8:01:02", "c0a80102")]
    [InlineData(@"b'\xc0\xa8\x01\x02'", "c0a80102")]
    [InlineData(@"b'\x7f\x00\x00\x01'", "7f000001")]
    [InlineData(@"b'\n\x00\x00A'", "0a000041")]
    [InlineData(@"b""\t\r\\'""", "090d5c27")]
    [InlineData(@"b'\''", "27")]
    public void ParsesHexAndPythonBytesLiterals(string text, string hex) =>
        Assert.Equal(hex, Convert.ToHexStringLower(ByteText.Parse(text)));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("0x", "empty")]
    [InlineData("abc", "odd number")]
    [InlineData("zz", "hex digits")]
    [InlineData(@"b'\x1'", "two hex digits")]
    [InlineData(@"b'\q'", "unknown escape")]
    [InlineData("b'abc", "not closed")]
    [InlineData(@"b'\'", "lone")]
    [InlineData("b'é'", "only ASCII")]
    public void RejectsWithTheReason(string text, string reason)
    {
        var ex = Assert.Throws<FormatException>(() => ByteText.Parse(text));
        Assert.Contains($"'{text}' is not bytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PythonLiteralRoundTrips()
    {
        byte[] bytes = [0x0a, 0x00, 0x00, 0x41, 0x27, 0x5c, 0xff];

        var literal = ByteText.ToPythonLiteral(bytes);

        Assert.Equal(@"b'\n\x00\x00A\'\\\xff'", literal);
        Assert.Equal(bytes, ByteText.Parse(literal));
    }
}
