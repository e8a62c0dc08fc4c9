using System.Buffers;
using System.IO.Pipelines;
using Sockit.Framing;

namespace Sockit.Tests.Framing;

/// <summary>The edges of FrameReader and FrameWriter: cancellation, a peer that stops reading, impossible options.</summary>
public sealed class ReaderWriterEdgeTests
{
    [Fact]
    public async Task FrameReaderLosesNoBytesWhenAWaitIsCancelled()
    {
        var pipe = new Pipe();
        var reader = new FrameReader(pipe.Reader, FrameSpec.Line.CreateDecoder());
        await pipe.Writer.WriteAsync(Framed.Ascii("ab")).AsTask().WaitAsync(Timeouts.Short);

        using (var cancel = new CancellationTokenSource())
        {
            var waiting = reader.ReadFrameAsync(cancel.Token).AsTask();
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Timeouts.Short));
        }

        await pipe.Writer.WriteAsync(Framed.Ascii("c\n")).AsTask().WaitAsync(Timeouts.Short);

        Assert.True(await reader.ReadFrameAsync().AsTask().WaitAsync(Timeouts.Short));
        Assert.Equal("abc", System.Text.Encoding.ASCII.GetString(reader.Current.ToArray()));
    }

    [Fact]
    public async Task FrameWriterSaysSoWhenTheReadingSideHasStopped()
    {
        var pipe = new Pipe();
        var writer = new FrameWriter(pipe.Writer, FrameSpec.Length.CreateEncoder());
        await pipe.Reader.CompleteAsync().AsTask().WaitAsync(Timeouts.Short);

        Assert.False(await writer.WriteAsync(new byte[3]).AsTask().WaitAsync(Timeouts.Short));
    }

    [Fact]
    public void FixedFramesLargerThanTheLimitAreRefusedWhenTheDecoderIsCreated()
    {
        var thrown = Assert.Throws<ArgumentException>(() => FrameSpec.Fixed(101).CreateDecoder(new FramingOptions { MaxFrameSize = 100 }));

        Assert.Contains("fixed:101", thrown.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void FrameLimitBelowOneByteIsRefused(int limit)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FramingOptions { MaxFrameSize = limit });
    }
}
