using BenchmarkDotNet.Attributes;
using Sockit.Framing;

namespace Sockit.Benchmarks;

/// <summary>The parameters shared by the decode and encode benchmarks: framing, frame size, memory layout.</summary>
[MemoryDiagnoser]
[Config(typeof(FramingConfig))]
public abstract class FramingBenchmark
{
    /// <summary>Frames per invocation: BenchmarkDotNet divides by it, so results are per frame.</summary>
    public const int Frames = 1024;

    [Params("line", "length", "varint", "fixed")]
    public string Framing { get; set; } = "";

    [Params(32, 1024, 65536)]
    public int FrameSize { get; set; }

    [Params(Layout.OneSegment, Layout.Segments4K)]
    public Layout Layout { get; set; }

    /// <summary>The spec under test; <c>fixed</c> becomes <c>fixed:FrameSize</c>.</summary>
    protected FrameSpec Spec => FrameSpec.Parse(Framing == "fixed" ? $"fixed:{FrameSize}" : Framing);

    /// <summary>A payload every framing can carry: no newline, not ending in \r.</summary>
    protected byte[] Payload() => Enumerable.Repeat((byte)'x', FrameSize).ToArray();

    /// <summary>Options that admit the largest frame under test.</summary>
    protected static FramingOptions Options { get; } = new() { MaxFrameSize = 1 << 20 };
}
