using System.Buffers;
using BenchmarkDotNet.Attributes;
using Sockit.Framing;

namespace Sockit.Benchmarks;

/// <summary>Decoding a buffered stream of <see cref="FramingBenchmark.Frames"/> frames; results are per frame.</summary>
public class DecodeBenchmarks : FramingBenchmark
{
    private ReadOnlySequence<byte> _stream;
    private FrameDecoder _decoder = null!;

    [GlobalSetup]
    public void Setup()
    {
        var encoder = Spec.CreateEncoder();
        var payload = Payload();
        var output = new ArrayBufferWriter<byte>();
        for (var i = 0; i < Frames; i++)
        {
            encoder.Encode(payload, output);
        }

        _stream = BenchSegment.Sequence(output.WrittenSpan.ToArray(), Layout);

        // One decoder for all invocations: after a whole number of frames it holds no state.
        _decoder = Spec.CreateDecoder(Options);
        if (Decode() != (long)Frames * FrameSize)
        {
            throw new InvalidOperationException($"{Spec} did not decode its own {Frames} frames");
        }
    }

    [Benchmark(OperationsPerInvoke = Frames)]
    public long Decode()
    {
        var buffer = _stream;
        long payloadBytes = 0;
        while (_decoder.Decode(ref buffer, out var frame) == FrameStatus.Frame)
        {
            payloadBytes += frame.Length;
        }

        return payloadBytes;
    }
}
