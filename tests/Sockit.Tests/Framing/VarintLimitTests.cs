using Sockit.Framing;

namespace Sockit.Tests.Framing;

/// <summary>An unsigned LEB128 header is at most 10 bytes, fits 64 bits, and is judged while it arrives.</summary>
public sealed class VarintLimitTests
{
    public static TheoryData<BadFramePolicy> Policies => new(BadFramePolicy.Close, BadFramePolicy.Skip);

    [Theory]
    [MemberData(nameof(Policies))]
    public void VarintDecoderRejectsAnElevenByteHeaderAsMalformedAtItsTenthByte(BadFramePolicy policy)
    {
        var feeder = new ContractFeeder(FrameSpec.Varint, new FramingOptions { OnBadFrame = policy });

        // Ten continuation bytes of value 0, then a terminator: 11 bytes, value 0 all along.
        for (var i = 0; i < 9; i++)
        {
            feeder.Feed(0x80);
            Assert.Equal(FrameStatus.NeedMoreData, feeder.LastStatus);
        }

        feeder.Feed(0x80);

        Assert.Equal(FrameStatus.Invalid, feeder.LastStatus);
        Assert.Equal(FrameErrorKind.Malformed, feeder.Decoder.Error!.Kind);
        Assert.Contains("10 bytes", feeder.Decoder.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x02)]
    [InlineData(0x7F)]
    public void VarintDecoderRejectsATenthByteAboveOneAsBeyondSixtyFourBits(byte tenth)
    {
        var feeder = new ContractFeeder(FrameSpec.Varint, new FramingOptions { OnBadFrame = BadFramePolicy.Skip });

        feeder.Feed([.. Enumerable.Repeat((byte)0x80, 9), tenth]);

        Assert.Equal(FrameStatus.Invalid, feeder.LastStatus);
        Assert.Equal(new FrameError(FrameErrorKind.Malformed, tenth, feeder.Decoder.Error!.Message), feeder.Decoder.Error);
    }

    [Fact]
    public void VarintDecoderReadsATenByteHeaderOfTwoToTheSixtyThirdAsOversizeNotMalformed()
    {
        var feeder = new ContractFeeder(FrameSpec.Varint);

        feeder.Feed([.. Enumerable.Repeat((byte)0x80, 9), 0x01]);

        Assert.Equal(new FrameError(FrameErrorKind.Oversize, 1UL << 63, feeder.Decoder.Error!.Message), feeder.Decoder.Error);
    }

    [Fact]
    public void VarintDecoderRejectsALengthBeyondTheLimitBeforeTheHeaderCompletes()
    {
        var feeder = new ContractFeeder(FrameSpec.Varint, new FramingOptions { MaxFrameSize = 100 });

        // 0xE5: low seven bits 101, continuation set: the length is at least 101 whatever follows.
        feeder.Feed(0xE5);

        Assert.Equal(FrameStatus.Invalid, feeder.LastStatus);
        Assert.Equal(FrameErrorKind.Oversize, feeder.Decoder.Error!.Kind);
        Assert.Equal(101UL, feeder.Decoder.Error.Value);
    }

    [Fact]
    public void VarintDecoderKeepsWaitingWhileAnUnfinishedHeaderIsStillWithinTheLimit()
    {
        var feeder = new ContractFeeder(FrameSpec.Varint, new FramingOptions { MaxFrameSize = 100 });

        // 0xE4 0x80: 100 so far, continuation set; a 0x00 would end it at exactly 100.
        feeder.Feed(0xE4, 0x80);
        Assert.Equal(FrameStatus.NeedMoreData, feeder.LastStatus);

        feeder.Feed([0x00, .. new byte[100]]);

        Assert.Equal(100, Assert.Single(feeder.Frames).Length);
    }
}
