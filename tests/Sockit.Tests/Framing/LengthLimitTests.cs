using System.Buffers.Binary;
using Sockit.Framing;

namespace Sockit.Tests.Framing;

/// <summary>A length header is never trusted: it is checked the moment it arrives.</summary>
public sealed class LengthLimitTests
{
    private static readonly FramingOptions Max100 = new() { MaxFrameSize = 100 };

    public static TheoryData<string> LengthSpecs => new(SpecCatalog.LengthPrefixed.Where(s => s != "varint"));

    [Theory]
    [MemberData(nameof(LengthSpecs))]
    public void LengthDecoderRejectsOversizeHeaderBeforeAnyPayloadByte(string text)
    {
        var spec = FrameSpec.Parse(text);
        var feeder = new ContractFeeder(spec, Max100);

        feeder.Feed(Header(spec, 101));

        Assert.Equal(FrameStatus.Invalid, feeder.LastStatus);
        var error = Assert.IsType<FrameError>(feeder.Decoder.Error);
        Assert.Equal(FrameErrorKind.Oversize, error.Kind);
        Assert.Equal(101UL, error.Value);
        Assert.Contains("101", error.Message, StringComparison.Ordinal);
        Assert.Contains("100", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(LengthSpecs))]
    public void LengthDecoderAcceptsAFrameOfExactlyTheLimit(string text)
    {
        var spec = FrameSpec.Parse(text);
        var feeder = new ContractFeeder(spec, Max100);

        feeder.Feed(Header(spec, 100));
        feeder.Feed(new byte[100]);

        Assert.Equal(100, Assert.Single(feeder.Frames).Length);
    }

    [Theory]
    [InlineData(0x8000_0000UL)]
    [InlineData(1UL << 32)]
    [InlineData(ulong.MaxValue)]
    public void U64LengthBeyondIntMaxValueIsRejectedEvenWithTheLargestLimit(ulong length)
    {
        foreach (var spec in new[] { FrameSpec.Parse("length:u64"), FrameSpec.Parse("length:u64le") })
        {
            var feeder = new ContractFeeder(spec, new FramingOptions { MaxFrameSize = int.MaxValue });

            feeder.Feed(Header(spec, length));

            Assert.Equal(FrameStatus.Invalid, feeder.LastStatus);
            Assert.Equal(new FrameError(FrameErrorKind.Oversize, length, feeder.Decoder.Error!.Message), feeder.Decoder.Error);
        }
    }

    [Fact]
    public void LengthDecoderWaitsForTheWholeHeaderBeforeJudgingIt()
    {
        var feeder = new ContractFeeder(FrameSpec.Length, Max100);

        feeder.Feed(0xFF, 0xFF, 0xFF);

        Assert.Equal(FrameStatus.NeedMoreData, feeder.LastStatus);
        Assert.Null(feeder.Decoder.Error);
    }

    /// <summary>The header announcing <paramref name="length"/> in <paramref name="spec"/>'s width and byte order.</summary>
    internal static byte[] Header(FrameSpec spec, ulong length)
    {
        // Written independently of the encoder: all 8 bytes in the chosen order, then the low-order end.
        var all = new byte[8];
        if (spec.LittleEndian)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(all, length);
            return all[..spec.LengthWidth];
        }

        BinaryPrimitives.WriteUInt64BigEndian(all, length);
        return all[^spec.LengthWidth..];
    }
}
