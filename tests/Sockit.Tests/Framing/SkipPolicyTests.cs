using CsCheck;
using Sockit.Framing;

namespace Sockit.Tests.Framing;

/// <summary>Under <see cref="BadFramePolicy.Skip"/> an oversize frame is dropped and counted, and decoding stays in sync.</summary>
public sealed class SkipPolicyTests
{
    private static readonly FramingOptions SkipOver16 = new() { MaxFrameSize = 16, OnBadFrame = BadFramePolicy.Skip };

    public static TheoryData<string> SkippableSpecs => new("length", "length:u16le", "length:u8", "varint", "line", "delim:|", @"delim:\r\n", "delim:aba");

    [Theory]
    [MemberData(nameof(SkippableSpecs))]
    public void SkipDropsEachOversizeFrameAndTheFollowingFramesComeOutIntact(string text)
    {
        var spec = FrameSpec.Parse(text);
        Gen.Select(FramingGen.Messages(spec), FramingGen.Splits).Sample((messages, splits) =>
        {
            var outcome = ContractFeeder.Run(spec, Framed.Encode(spec, messages), splits, SkipOver16);

            Assert.Equal(Framed.Hex(messages.Where(m => m.Length <= 16)), Framed.Hex(outcome.Frames));
            Assert.Equal(messages.Count(m => m.Length > 16), outcome.Skipped);
            Assert.Null(outcome.Error);
            Assert.Null(outcome.EndOfStream);
        }, iter: 200);
    }

    [Theory]
    [InlineData("length", 1000)]
    [InlineData("varint", 1000)]
    [InlineData("line", 100)]
    [InlineData(@"delim:\r\n", 100)]
    public void StreamEndingInsideASkippedFrameIsReportedTruncated(string text, int fed)
    {
        var spec = FrameSpec.Parse(text);
        var stream = Framed.Encode(spec, [Framed.Ascii(new string('x', 1000))]);
        var feeder = new ContractFeeder(spec, SkipOver16);

        feeder.Feed(stream.AsMemory(0, fed));
        var outcome = feeder.Finish();

        Assert.Equal(1, outcome.Skipped);
        Assert.Equal(FrameErrorKind.Truncated, outcome.EndOfStream?.Kind);
    }
}
