using CsCheck;
using Sockit.Framing;

namespace Sockit.Tests.Framing;

/// <summary>The frame spec text: what parses to what, and what a bad spec says.</summary>
public sealed class FrameSpecTests
{
    public static TheoryData<string, string> BadSpecs => new()
    {

        { "foo", "'foo'" },
        { "length:u24", "u24" },
        { "length:", "length header ''" },
        { "length:u32xe", "u32xe" },
        { "fixed:0", "'0'" },
        { "fixed:x", "'x'" },
        { "fixed:-3", "'-3'" },
        { "fixed:", "''" },
        { "delim:", "empty" },
        { @"delim:\q", @"\q" },
        { @"delim:a\", @"lone '\'" },
        { @"delim:\x4", @"\x4" },
        { @"delim:\xZZ", @"\xZZ" },
        { "delim:0x7", "0x7" },
        { "delim:0xZZ", "0xZZ" },
        { "raw:1", "'raw' takes no argument" },
        { "line:crlf", "'line' takes no argument" },
        { "varint:u32", "'varint' takes no argument" },
    };

    public static TheoryData<string> EverySpec => new(SpecCatalog.Framed.Append("raw"));

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public void BadSpecGivesAFormatExceptionNamingTheBadPartAndListingWhatIsAccepted(string text, string badPart)
    {
        var thrown = Assert.Throws<FormatException>(() => FrameSpec.Parse(text));

        // The message echoes the whole text first; the explanation after it must name the bad part itself.
        var explanation = thrown.Message[(thrown.Message.IndexOf(" is not a frame spec", StringComparison.Ordinal) + 1)..];
        Assert.StartsWith($"'{text}' is not a frame spec: ", thrown.Message, StringComparison.Ordinal);
        Assert.Contains(badPart, explanation, StringComparison.Ordinal);
        Assert.Contains(FrameSpec.Accepted, explanation, StringComparison.Ordinal);
        Assert.False(FrameSpec.TryParse(text, out var spec, out var error));
        Assert.Null(spec);
        Assert.Equal(thrown.Message, error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void EmptySpecIsRefusedAsEmptyWithWhatIsAccepted(string? text)
    {
        Assert.False(FrameSpec.TryParse(text, out _, out var error));
        Assert.StartsWith("an empty frame spec; accepted: ", error, StringComparison.Ordinal);
        Assert.Contains(FrameSpec.Accepted, error, StringComparison.Ordinal);
        if (text is not null)
        {
            Assert.Equal(error, Assert.Throws<FormatException>(() => FrameSpec.Parse(text)).Message);
        }
    }

    [Theory]
    [MemberData(nameof(EverySpec))]
    public void ParsingTheCanonicalTextGivesBackAnEqualSpec(string text)
    {
        var spec = FrameSpec.Parse(text);

        var again = FrameSpec.Parse(spec.ToString());

        Assert.Equal(spec, again);
        Assert.Equal(spec.ToString(), again.ToString());
        Assert.Equal(spec.Delimiter.ToArray(), again.Delimiter.ToArray());
    }

    [Fact]
    public void AnyDelimiterRoundTripsThroughItsCanonicalText()
    {
        var bytes = Gen.Frequency((3, Gen.OneOfConst<byte>(0, (byte)'0', (byte)'x', (byte)'X', (byte)'\\', (byte)':', (byte)' ', 0x7F, 0x80)), (2, Gen.Byte));
        bytes.Array[1, 4].Sample(delimiter =>
        {
            var text = FrameSpec.Delimited(delimiter).ToString();

            Assert.Equal(Convert.ToHexString(delimiter), Convert.ToHexString(FrameSpec.Parse(text).Delimiter));
        }, iter: 2000);
    }

    [Theory]
    [InlineData(@"delim:\0", new byte[] { 0 })]
    [InlineData(@"delim:\r\n", new byte[] { 13, 10 })]
    [InlineData(@"delim:\t", new byte[] { 9 })]
    [InlineData(@"delim:\\", new byte[] { 0x5C })]
    [InlineData(@"delim:\x7E", new byte[] { 0x7E })]
    [InlineData(@"delim:\xff\x00", new byte[] { 0xFF, 0 })]
    [InlineData(@"delim:a\tb", new byte[] { 0x61, 9, 0x62 })]
    [InlineData("delim:0x7E", new byte[] { 0x7E })]
    [InlineData("delim:0X0d0A", new byte[] { 13, 10 })]
    [InlineData("delim:é", new byte[] { 0xC3, 0xA9 })]
    [InlineData("delim::", new byte[] { 0x3A })]
    public void DelimiterEscapesGiveTheirBytes(string text, byte[] expected)
    {
        var spec = FrameSpec.Parse(text);

        Assert.Equal(FrameKind.Delimiter, spec.Kind);
        Assert.Equal(expected, spec.Delimiter.ToArray());
    }

    [Theory]
    [InlineData("length", "length:u32be")]
    [InlineData("length:u32", "length:u32be")]
    [InlineData("LENGTH:U16LE", "length:u16le")]
    [InlineData("length:u8le", "length:u8")]
    [InlineData(" line ", "line")]
    [InlineData("Varint", "varint")]
    [InlineData("fixed:0042", "fixed:42")]
    public void EquivalentSpellingsParseToTheSameSpec(string text, string canonical)
    {
        Assert.Equal(FrameSpec.Parse(canonical), FrameSpec.Parse(text));
        Assert.Equal(canonical, FrameSpec.Parse(text).ToString());
    }
}
