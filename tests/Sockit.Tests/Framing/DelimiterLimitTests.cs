using Sockit.Framing;

namespace Sockit.Tests.Framing;

/// <summary>Without a delimiter, a delimited stream is cut off as soon as the limit is certainly passed.</summary>
public sealed class DelimiterLimitTests
{
    private const int Max = 10;
    private static readonly FramingOptions Max10 = new() { MaxFrameSize = Max };

    [Theory]
    [InlineData("delim:|")]
    [InlineData(@"delim:\r\n")]
    [InlineData(@"delim:\0\0\0")]
    public void DelimiterStreamIsRejectedTheMomentLimitPlusDelimiterLengthBytesArriveWithoutADelimiter(string text)
    {
        var spec = FrameSpec.Parse(text);
        var feeder = new ContractFeeder(spec, Max10);
        var boundary = Max + spec.Delimiter.Length;

        for (var i = 1; i < boundary; i++)
        {
            feeder.Feed((byte)'x');
            Assert.Equal(FrameStatus.NeedMoreData, feeder.LastStatus);
        }

        feeder.Feed((byte)'x');

        Assert.Equal(FrameStatus.Invalid, feeder.LastStatus);
        Assert.Equal(FrameErrorKind.Oversize, feeder.Decoder.Error!.Kind);
        Assert.Equal((ulong)(Max + 1), feeder.Decoder.Error.Value);
    }

    [Theory]
    [InlineData("delim:|")]
    [InlineData(@"delim:\r\n")]
    [InlineData(@"delim:\0\0\0")]
    public void DelimiterDecoderAcceptsAFrameOfExactlyTheLimitWhateverTheSplit(string text)
    {
        var spec = FrameSpec.Parse(text);
        var stream = Framed.Encode(spec, [Framed.Ascii(new string('x', Max))]);

        foreach (var split in new[] { 1, 2, 3, int.MaxValue })
        {
            var outcome = ContractFeeder.Run(spec, stream, [split], Max10);

            Assert.Equal(Max, Assert.Single(outcome.Frames).Length);
        }
    }

    [Fact]
    public void LineDecoderLeavesRoomForACarriageReturnBeforeRejecting()
    {
        var feeder = new ContractFeeder(FrameSpec.Line, Max10);

        // Max bytes and a \r may still be a frame of exactly Max bytes once the \n comes.
        feeder.Feed([.. new byte[Max], (byte)'\r']);
        Assert.Equal(FrameStatus.NeedMoreData, feeder.LastStatus);
        feeder.Feed((byte)'\n');
        Assert.Equal(Max, Assert.Single(feeder.Frames).Length);

        feeder.Feed(new byte[Max + 1]);
        Assert.Equal(FrameStatus.NeedMoreData, feeder.LastStatus);
        feeder.Feed(0);
        Assert.Equal(FrameStatus.Invalid, feeder.LastStatus);
        Assert.Equal(FrameErrorKind.Oversize, feeder.Decoder.Error!.Kind);
    }

    [Fact]
    public void LineDecoderRejectsAFrameOverTheLimitEvenWhenItsNewlineArrivesWithIt()
    {
        var feeder = new ContractFeeder(FrameSpec.Line, Max10);

        feeder.Feed([.. new byte[Max + 1], (byte)'\n']);

        Assert.Equal(FrameStatus.Invalid, feeder.LastStatus);
        Assert.Equal((ulong)(Max + 1), feeder.Decoder.Error!.Value);
    }

    [Fact]
    public void DelimiterDecoderWithTheLargestLimitStillWaitsForItsDelimiter()
    {
        foreach (var spec in new[] { FrameSpec.Line, FrameSpec.Parse("delim:|") })
        {
            var feeder = new ContractFeeder(spec, new FramingOptions { MaxFrameSize = int.MaxValue });

            feeder.Feed(Framed.Ascii("abc"));
            Assert.Equal(FrameStatus.NeedMoreData, feeder.LastStatus);
            feeder.Feed(spec.Delimiter.ToArray());

            Assert.Equal("abc", System.Text.Encoding.ASCII.GetString(Assert.Single(feeder.Frames)));
        }
    }
}
