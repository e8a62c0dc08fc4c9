using System.Buffers;
using BenchmarkDotNet.Attributes;
using Sockit.Framing;

namespace Sockit.Benchmarks;

/// <summary>
/// Encoding <see cref="FramingBenchmark.Frames"/> frames into one contiguous buffer, or into 4 KiB blocks
/// like a PipeWriter's; results are per frame.
/// </summary>
public class EncodeBenchmarks : FramingBenchmark
{
    private byte[] _payload = [];
    private FrameEncoder _encoder = null!;
    private ArrayBufferWriter<byte> _contiguous = null!;
    private BlockWriter _blocks = null!;

    [GlobalSetup]
    public void Setup()
    {
        _payload = Payload();
        _encoder = Spec.CreateEncoder();
        _contiguous = new ArrayBufferWriter<byte>(Frames * (FrameSize + 16));
        _blocks = new BlockWriter(4096);
    }

    [Benchmark(OperationsPerInvoke = Frames)]
    public long Encode()
    {
        if (Layout == Layout.OneSegment)
        {
            _contiguous.ResetWrittenCount();
            EncodeAll(_contiguous);
            return _contiguous.WrittenCount;
        }

        _blocks.Reset();
        EncodeAll(_blocks);
        return _blocks.Written;
    }

    private void EncodeAll(IBufferWriter<byte> output)
    {
        for (var i = 0; i < Frames; i++)
        {
            _encoder.Encode(_payload, output);
        }
    }
}
