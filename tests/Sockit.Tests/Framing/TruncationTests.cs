using System.Buffers;
using System.IO.Pipelines;
using CsCheck;
using Sockit.Framing;

namespace Sockit.Tests.Framing;

/// <summary>Bytes left over when the stream ends are a truncated frame, never dropped silently.</summary>
public sealed class TruncationTests
{
    [Theory]
    [MemberData(nameof(SpecCatalog.FramedData), MemberType = typeof(SpecCatalog))]
    public void StreamCutInsideAFrameIsReportedTruncatedWithTheBytesLeftOver(string text)
    {
        var spec = FrameSpec.Parse(text);
        var cases = Gen.Select(FramingGen.Messages(spec).Where(m => m.Length > 0), Gen.Int[0, 1 << 20], FramingGen.Splits);
        cases.Sample((messages, where, splits) =>
        {
            // Frame boundaries in the encoded stream; cut strictly inside the last frame.
            var frames = messages.Select(m => Framed.Encode(spec, [m])).ToArray();
            var stream = frames.SelectMany(f => f).ToArray();
            var lastStart = stream.Length - frames[^1].Length;
            var cut = lastStart + (where % frames[^1].Length);

            var outcome = ContractFeeder.Run(spec, stream[..cut], splits);

            if (cut == lastStart)
            {
                Assert.Null(outcome.EndOfStream);
            }
            else
            {
                Assert.Equal(FrameErrorKind.Truncated, outcome.EndOfStream?.Kind);
                Assert.Equal((ulong)(cut - lastStart), outcome.EndOfStream!.Value);
            }

            Assert.Equal(Framed.Hex(messages[..^1]), Framed.Hex(outcome.Frames));
        }, iter: 200);
    }

    [Fact]
    public async Task FrameReaderThrowsTruncatedWhenThePipeEndsInsideAFrame()
    {
        var reader = await LineReaderOverAsync("one\ntw");

        Assert.True(await reader.ReadFrameAsync().AsTask().WaitAsync(Timeouts.Short));
        Assert.Equal("one"u8.ToArray(), reader.Current.ToArray());
        var thrown = await Assert.ThrowsAsync<FrameException>(() => reader.ReadFrameAsync().AsTask().WaitAsync(Timeouts.Short));

        Assert.Equal(FrameErrorKind.Truncated, thrown.Error.Kind);
        Assert.Equal(2UL, thrown.Error.Value);
        Assert.Contains("line", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FrameReaderNeverCallsATruncatedStreamACleanEndWhenAskedAgain()
    {
        var reader = await LineReaderOverAsync("tw");

        var first = await Assert.ThrowsAsync<FrameException>(() => reader.ReadFrameAsync().AsTask().WaitAsync(Timeouts.Short));
        var again = await Assert.ThrowsAsync<FrameException>(() => reader.ReadFrameAsync().AsTask().WaitAsync(Timeouts.Short));

        Assert.Equal(first.Error, again.Error);
    }

    [Fact]
    public async Task FrameReaderReportsACleanEndOnAFrameBoundary()
    {
        var reader = await LineReaderOverAsync("one\n");

        Assert.True(await reader.ReadFrameAsync().AsTask().WaitAsync(Timeouts.Short));
        Assert.False(await reader.ReadFrameAsync().AsTask().WaitAsync(Timeouts.Short));
    }

    /// <summary>A line reader over a pipe that holds <paramref name="text"/> and then ends.</summary>
    private static async Task<FrameReader> LineReaderOverAsync(string text)
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Framed.Ascii(text)).AsTask().WaitAsync(Timeouts.Short);
        await pipe.Writer.CompleteAsync().AsTask().WaitAsync(Timeouts.Short);
        return new FrameReader(pipe.Reader, FrameSpec.Line.CreateDecoder());
    }
}
