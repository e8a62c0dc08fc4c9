using System.Buffers;
using Sockit.Framing;

namespace Sockit.Tests.Framing;

/// <summary>
/// Delimiter search resumes where it stopped: a 1 MiB line fed one byte at a time is scanned about once,
/// not once per byte (a restarting search would scan about 5 x 10^11 bytes).
/// </summary>
public sealed class LinearSearchTests
{
    private const int Size = 1 << 20;

    [Theory]
    [InlineData("line", 1)]
    [InlineData(@"delim:\r\n", 2)]
    [InlineData(@"delim:\0\0\0", 3)]
    public void OneMebibyteFrameFedOneByteAtATimeIsSearchedInLinearWork(string text, int searchesPerByte)
    {
        var (stream, decoder) = Prepare(text);

        for (var end = 1; end <= stream.Length; end++)
        {
            // The PipeReader contract: the same unconsumed bytes, one more arrived.
            var buffer = new ReadOnlySequence<byte>(stream, 0, end);
            ExpectFrameOnlyAtTheEnd(decoder.Decode(ref buffer, out var frame), frame, end == stream.Length);
        }

        Assert.InRange(decoder.BytesSearched, Size, (long)searchesPerByte * (Size + 3));
    }

    /// <summary>
    /// The same over realistic 4 KiB segments (a Pipe's block size). One-byte segments are not used: the decoder
    /// repositions with <c>ReadOnlySequence.Slice(long)</c>, which walks segment by segment, so a million of them
    /// would make the test itself quadratic in segment hops while the bytes searched stay linear.
    /// </summary>
    [Theory]
    [InlineData("line", 1)]
    [InlineData(@"delim:\r\n", 2)]
    public void OneMebibyteFrameFedOneByteAtATimeOverFourKibibyteSegmentsIsSearchedInLinearWork(string text, int searchesPerByte)
    {
        var (stream, decoder) = Prepare(text);
        var segments = ChunkSegment.Link(ChunkSegment.Cut(stream, 4096));

        for (var end = 1; end <= stream.Length; end++)
        {
            var last = segments[(end - 1) / 4096];
            var buffer = new ReadOnlySequence<byte>(segments[0], 0, last, end - (int)last.RunningIndex);
            ExpectFrameOnlyAtTheEnd(decoder.Decode(ref buffer, out var frame), frame, end == stream.Length);
        }

        Assert.InRange(decoder.BytesSearched, Size, (long)searchesPerByte * (Size + 3));
    }

    private static (byte[] Stream, DelimiterDecoder Decoder) Prepare(string text)
    {
        var spec = FrameSpec.Parse(text);
        var stream = Framed.Encode(spec, [Framed.Ascii(new string('x', Size))]);
        return (stream, (DelimiterDecoder)spec.CreateDecoder(new FramingOptions { MaxFrameSize = Size }));
    }

    private static void ExpectFrameOnlyAtTheEnd(FrameStatus status, in ReadOnlySequence<byte> frame, bool atEnd)
    {
        // Assert only on a surprise: a million Assert.Equal calls would dominate the test's time.
        if (status != (atEnd ? FrameStatus.Frame : FrameStatus.NeedMoreData) || (atEnd && frame.Length != Size))
        {
            Assert.Fail($"unexpected {status} (frame of {frame.Length} bytes), at the end: {atEnd}");
        }
    }
}
