using System.Buffers;
using Sockit.Framing;

namespace Sockit.Tests.Framing;

/// <summary>
/// Drives a <see cref="FrameDecoder"/> the way a PipeReader loop does: keep the unconsumed tail, append the
/// bytes that just arrived, call Decode until it wants more. The tail is kept as separate segments, so
/// frames and delimiters straddle segment boundaries.
/// </summary>
internal sealed class ContractFeeder(FrameDecoder decoder)
{
    // Past this many segments the tail is merged into one, so that 1-byte feeding stays linear for the test.
    private const int MaxTailSegments = 32;

    private readonly List<ReadOnlyMemory<byte>> _tail = [];

    public ContractFeeder(FrameSpec spec, FramingOptions? options = null)
        : this(spec.CreateDecoder(options))
    {
    }

    public FrameDecoder Decoder { get; } = decoder;

    /// <summary>Every frame decoded so far, copied.</summary>
    public List<byte[]> Frames { get; } = [];

    /// <summary>Bytes fed but not yet consumed by the decoder.</summary>
    public long Unconsumed => _tail.Sum(m => (long)m.Length);

    /// <summary>The status of the last Decode call.</summary>
    public FrameStatus LastStatus { get; private set; } = FrameStatus.NeedMoreData;

    /// <summary>
    /// Decodes <paramref name="stream"/> cut into chunks of the given sizes (cycled; the last chunk takes
    /// what is left), then checks the end of the stream.
    /// </summary>
    public static DecodeOutcome Run(FrameSpec spec, byte[] stream, IReadOnlyList<int> chunkSizes, FramingOptions? options = null)
    {
        var feeder = new ContractFeeder(spec, options);
        var offset = 0;
        for (var i = 0; offset < stream.Length && feeder.LastStatus != FrameStatus.Invalid; i++)
        {
            var size = Math.Min(chunkSizes[i % chunkSizes.Count], stream.Length - offset);
            feeder.Feed(stream.AsMemory(offset, size));
            offset += size;
        }

        return feeder.Finish();
    }

    /// <summary>Appends <paramref name="chunk"/> and decodes every frame it completes.</summary>
    /// <returns>The number of frames this chunk completed.</returns>
    public int Feed(ReadOnlyMemory<byte> chunk)
    {
        _tail.Add(chunk.ToArray());
        if (_tail.Count > MaxTailSegments)
        {
            var merged = ChunkSegment.Chain(_tail).ToArray();
            _tail.Clear();
            _tail.Add(merged);
        }

        var before = Frames.Count;
        var buffer = ChunkSegment.Chain(_tail);
        while ((LastStatus = Decoder.Decode(ref buffer, out var frame)) == FrameStatus.Frame)
        {
            Frames.Add(frame.ToArray());
        }

        _tail.Clear();
        foreach (var memory in buffer)
        {
            _tail.Add(memory);
        }

        return Frames.Count - before;
    }

    /// <inheritdoc cref="Feed(ReadOnlyMemory{byte})"/>
    public int Feed(params byte[] chunk) => Feed(chunk.AsMemory());

    /// <summary>Ends the stream: what the decoder says about the bytes left over.</summary>
    public DecodeOutcome Finish() =>
        new(Frames, Decoder.Error, Decoder.CheckEndOfStream(ChunkSegment.Chain(_tail)), Decoder.SkippedFrames);
}

/// <summary>What decoding a whole stream gave.</summary>
/// <param name="Frames">The frames, in order.</param>
/// <param name="Error">The decoder's error, if decoding stopped.</param>
/// <param name="EndOfStream">What <see cref="FrameDecoder.CheckEndOfStream"/> said at the end.</param>
/// <param name="Skipped">Frames discarded under the Skip policy.</param>
internal sealed record DecodeOutcome(IReadOnlyList<byte[]> Frames, FrameError? Error, FrameError? EndOfStream, long Skipped);
