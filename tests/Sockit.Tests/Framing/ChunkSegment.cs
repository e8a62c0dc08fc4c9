using System.Buffers;

namespace Sockit.Tests.Framing;

/// <summary>One link of a hand-built multi-segment <see cref="ReadOnlySequence{T}"/>.</summary>
internal sealed class ChunkSegment : ReadOnlySequenceSegment<byte>
{
    private ChunkSegment(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    /// <summary>A sequence whose segments are exactly <paramref name="chunks"/> (empty chunks are kept).</summary>
    public static ReadOnlySequence<byte> Chain(IReadOnlyList<ReadOnlyMemory<byte>> chunks) => chunks.Count switch
    {
        0 => ReadOnlySequence<byte>.Empty,
        1 => new ReadOnlySequence<byte>(chunks[0]),
        _ => Span(Link(chunks), chunks.Count),
    };

    /// <summary>Links <paramref name="chunks"/> into segments, returned in order.</summary>
    public static ChunkSegment[] Link(IReadOnlyList<ReadOnlyMemory<byte>> chunks)
    {
        var segments = new ChunkSegment[chunks.Count];
        for (var i = 0; i < chunks.Count; i++)
        {
            segments[i] = new ChunkSegment(chunks[i], i == 0 ? 0 : segments[i - 1].RunningIndex + segments[i - 1].Memory.Length);
            if (i > 0)
            {
                segments[i - 1].Next = segments[i];
            }
        }

        return segments;
    }

    /// <summary>The whole of the first <paramref name="count"/> linked segments.</summary>
    public static ReadOnlySequence<byte> Span(ChunkSegment[] segments, int count) =>
        new(segments[0], 0, segments[count - 1], segments[count - 1].Memory.Length);

    /// <summary><paramref name="bytes"/> cut into segments of <paramref name="segmentSize"/> bytes.</summary>
    public static ReadOnlySequence<byte> Chain(ReadOnlyMemory<byte> bytes, int segmentSize) => Chain(Cut(bytes, segmentSize));

    /// <summary><paramref name="bytes"/> cut into pieces of <paramref name="size"/> bytes (the last may be shorter).</summary>
    public static List<ReadOnlyMemory<byte>> Cut(ReadOnlyMemory<byte> bytes, int size)
    {
        var chunks = new List<ReadOnlyMemory<byte>>();
        for (var offset = 0; offset < bytes.Length; offset += size)
        {
            chunks.Add(bytes.Slice(offset, Math.Min(size, bytes.Length - offset)));
        }

        return chunks;
    }
}
