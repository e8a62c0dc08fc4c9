using System.Buffers;
using System.IO.Pipelines;
using CsCheck;
using Sockit.Framing;

namespace Sockit.Tests.Framing;

/// <summary>FrameWriter into a real Pipe, FrameReader out of it, concurrently, with tight backpressure.</summary>
public sealed class PipeRoundTripTests
{
    [Theory]
    [MemberData(nameof(SpecCatalog.FramedData), MemberType = typeof(SpecCatalog))]
    public async Task FramesWrittenByFrameWriterComeOutOfFrameReaderIntactThroughABackpressuredPipe(string text)
    {
        var spec = FrameSpec.Parse(text);
        await Gen.Select(FramingGen.Messages(spec), Gen.Int[1, 4]).SampleAsync(async (messages, flushEvery) =>
        {
            // Small thresholds and segments: the writer pauses often and frames straddle segments.
            var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 64, resumeWriterThreshold: 32, minimumSegmentSize: 16, useSynchronizationContext: false));
            using var timeout = new CancellationTokenSource(Timeouts.Short);

            var sending = SendAsync(new FrameWriter(pipe.Writer, spec.CreateEncoder()), messages, flushEvery, timeout.Token);
            var received = await ReceiveAsync(new FrameReader(pipe.Reader, spec.CreateDecoder()), timeout.Token);
            await sending.WaitAsync(Timeouts.Short);

            Assert.Equal(Framed.Hex(messages), Framed.Hex(received));
        }, iter: 40);
    }

    [Fact]
    public async Task FrameReaderAndFrameWriterRoundTripOverStreams()
    {
        var messages = new[] { Framed.Ascii("one"), [], new byte[5000] };
        using var wire = new MemoryStream();
        var writer = FrameWriter.Create(wire, FrameSpec.Varint.CreateEncoder(), leaveOpen: true);
        using var timeout = new CancellationTokenSource(Timeouts.Short);
        await SendAsync(writer, messages, flushEvery: 2, timeout.Token);

        wire.Position = 0;
        var received = await ReceiveAsync(FrameReader.Create(wire, FrameSpec.Varint.CreateDecoder(), leaveOpen: true), timeout.Token);

        Assert.Equal(Framed.Hex(messages), Framed.Hex(received));
    }

    private static async Task SendAsync(FrameWriter writer, byte[][] messages, int flushEvery, CancellationToken cancellationToken)
    {
        await Task.Yield();
        for (var i = 0; i < messages.Length; i++)
        {
            writer.Write(messages[i]);
            if (i % flushEvery == 0)
            {
                Assert.True(await writer.FlushAsync(cancellationToken));
            }
        }

        await writer.FlushAsync(cancellationToken);
        await writer.CompleteAsync().AsTask().WaitAsync(Timeouts.Short, cancellationToken);
    }

    private static async Task<List<byte[]>> ReceiveAsync(FrameReader reader, CancellationToken cancellationToken)
    {
        var received = new List<byte[]>();
        while (await reader.ReadFrameAsync(cancellationToken))
        {
            received.Add(reader.Current.ToArray());
        }

        await reader.CompleteAsync().AsTask().WaitAsync(Timeouts.Short, cancellationToken);
        return received;
    }
}
