using System.Buffers;
using Sockit.Framing;

namespace Sockit.Tests.Framing;

/// <summary>An encoder refuses a payload its framing cannot carry, before writing a byte, on both input shapes.</summary>
public sealed class EncoderRefusalTests
{
    public static TheoryData<string, byte[]> Refused => new()
    {
        { "line", Framed.Ascii("a\nb") },
        { @"delim:\0", [1, 0, 2] },
        { @"delim:\r\n", Framed.Ascii("a\r\nb") },
        { @"delim:\0\0", [1, 0] },
        { "delim:aba", Framed.Ascii("xab") },
        { "length:u8", new byte[256] },
        { "length:u16", new byte[65536] },
        { "length:u16le", new byte[65536] },
        { "fixed:4", new byte[3] },
        { "fixed:4", new byte[5] },
        { "fixed:4", [] },
    };

    public static TheoryData<string, byte[]> Accepted => new()
    {
        { "line", Framed.Ascii("a\rb") },
        { "line", Framed.Ascii("ab\r") },
        { "line", Framed.Ascii("\r") },
        { @"delim:\r\n", Framed.Ascii("a\r") },
        { @"delim:\r\n", Framed.Ascii("\na") },
        { "delim:aba", Framed.Ascii("xa") },
        { "length:u8", new byte[255] },
        { "length:u16", new byte[65535] },
        { "fixed:4", new byte[4] },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void EncoderRefusesAPayloadItsFramingCannotCarryAndWritesNothing(string text, byte[] payload)
    {
        var encoder = FrameSpec.Parse(text).CreateEncoder();
        var output = new ArrayBufferWriter<byte>();

        Assert.Throws<ArgumentException>(() => encoder.Encode(payload, output));
        Assert.Throws<ArgumentException>(() => encoder.Encode(ChunkSegment.Chain(payload, 1), output));

        Assert.Equal(0, output.WrittenCount);
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public void EncoderWritesTheSameFrameFromOneSpanAndFromManySegments(string text, byte[] payload)
    {
        var spec = FrameSpec.Parse(text);
        var fromSpan = new ArrayBufferWriter<byte>();
        var fromSegments = new ArrayBufferWriter<byte>();

        spec.CreateEncoder().Encode(payload, fromSpan);
        spec.CreateEncoder().Encode(ChunkSegment.Chain(payload, 1), fromSegments);

        Assert.Equal(fromSpan.WrittenSpan.ToArray(), fromSegments.WrittenSpan.ToArray());
        Assert.Equal(Convert.ToHexString(payload), Convert.ToHexString(Assert.Single(ContractFeeder.Run(spec, fromSpan.WrittenSpan.ToArray(), [int.MaxValue]).Frames)));
    }

    [Fact]
    public void LengthEncoderWritesTheHeaderInTheChosenWidthAndByteOrder()
    {
        Assert.Equal([0, 0, 0, 3, 1, 2, 3], Framed.Encode(FrameSpec.Length, [[1, 2, 3]]));
        Assert.Equal([3, 0, 1, 2, 3], Framed.Encode(FrameSpec.Parse("length:u16le"), [[1, 2, 3]]));
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 1, 9], Framed.Encode(FrameSpec.Parse("length:u64"), [[9]]));
        Assert.Equal([0xAC, 0x02, .. new byte[300]], Framed.Encode(FrameSpec.Varint, [new byte[300]]));
    }
}
