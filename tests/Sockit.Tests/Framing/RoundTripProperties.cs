using CsCheck;
using Sockit.Framing;

namespace Sockit.Tests.Framing;

/// <summary>
/// The central promise of PRODUCT.md: a decoder yields exactly the frames that were sent, for any split of
/// the stream into reads. Encode random messages, cut the bytes at random points, decode under the
/// PipeReader contract.
/// </summary>
public sealed class RoundTripProperties
{
    [Theory]
    [MemberData(nameof(SpecCatalog.FramedData), MemberType = typeof(SpecCatalog))]
    public void EveryFramingDecodesExactlyTheEncodedMessagesHoweverTheStreamIsSplit(string text)
    {
        var spec = FrameSpec.Parse(text);
        Gen.Select(FramingGen.Messages(spec), FramingGen.Splits)
            .Sample((messages, splits) => AssertRoundTrip(spec, messages, splits), iter: 300);
    }

    [Fact]
    public void RawDecodingPreservesTheConcatenationInFramesNoLargerThanTheLimit()
    {
        var options = new FramingOptions { MaxFrameSize = 5 };
        Gen.Select(Gen.Byte.Array[0, 64], FramingGen.Splits).Sample((stream, splits) =>
        {
            var outcome = ContractFeeder.Run(FrameSpec.Raw, stream, splits, options);

            Assert.Equal(Convert.ToHexString(stream), Convert.ToHexString(outcome.Frames.SelectMany(f => f).ToArray()));
            Assert.All(outcome.Frames, f => Assert.InRange(f.Length, 1, options.MaxFrameSize));
            Assert.Null(outcome.EndOfStream);
        }, iter: 300);
    }

    [Fact]
    public void AnyDelimiterOfOneToThreeBytesRoundTripsEveryPayloadItsEncoderAccepts()
    {
        // Tiny alphabets make self-overlapping delimiters (\0\0, aba) and near-misses common.
        var alphabet = Gen.OneOfConst<byte>(0, (byte)'a', (byte)'b');
        var cases = Gen.Select(alphabet.Array[1, 3], Gen.OneOfConst<byte>(0, (byte)'a', (byte)'b', (byte)'c').Array[0, 6].Array[0, 8], FramingGen.Splits);
        cases.Sample((delimiter, payloads, splits) =>
        {
            var spec = FrameSpec.Delimited(delimiter);

            AssertRoundTrip(spec, payloads.Where(p => SpecCatalog.Carries(spec, p)).ToArray(), splits);
        }, iter: 1000);
    }

    [Fact]
    public void DelimiterEncoderRefusesExactlyThePayloadsThatWouldNotArriveIntact()
    {
        var alphabet = Gen.OneOfConst<byte>(0, (byte)'a', (byte)'b', (byte)'\r', (byte)'\n');
        Gen.Select(alphabet.Array[1, 3], alphabet.Array[0, 6], Gen.Bool).Sample((delimiter, payload, line) =>
        {
            var spec = line ? FrameSpec.Line : FrameSpec.Delimited(delimiter);
            var encoder = spec.CreateEncoder();
            var output = new System.Buffers.ArrayBufferWriter<byte>();

            var refused = Record.Exception(() => encoder.Encode(payload, output)) is ArgumentException;

            Assert.Equal(!SpecCatalog.Carries(spec, payload), refused);
            var carriageReturnBeforeLineEnd = line && payload is [.., (byte)'\r'] ? 1 : 0;
            Assert.Equal(refused ? 0 : payload.Length + carriageReturnBeforeLineEnd + spec.Delimiter.Length, output.WrittenCount);
        }, iter: 2000);
    }

    /// <summary>Encodes <paramref name="messages"/>, decodes the bytes cut by <paramref name="splits"/>: the same messages, a clean end.</summary>
    private static void AssertRoundTrip(FrameSpec spec, byte[][] messages, int[] splits)
    {
        var outcome = ContractFeeder.Run(spec, Framed.Encode(spec, messages), splits);

        Assert.Equal(Framed.Hex(messages), Framed.Hex(outcome.Frames));
        Assert.Null(outcome.EndOfStream);
    }
}
