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

    /// <summary>The header <paramref name="spec"/> writes for a payload of <paramref name="length"/> bytes.</summary>
    internal static byte[] Header(FrameSpec spec, ulong length)
    {
        var header = new byte[spec.LengthWidth];
        switch (spec.LengthWidth, spec.LittleEndian)
        {
            case (1, _): header[0] = (byte)length; break;
            case (2, false): BinaryPrimitives.WriteUInt16BigEndian(header, (ushort)length); break;
            case (2, true): BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)length); break;
            case (4, false): BinaryPrimitives.WriteUInt32BigEndian(header, (uint)length); break;
            case (4, true): BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)length); break;
            case (8, false): BinaryPrimitives.WriteUInt64BigEndian(header, length); break;
            default: BinaryPrimitives.WriteUInt64LittleEndian(header, length); break;
        }

        return header;
    }
}
