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
    public static ReadOnlySequence<byte> Chain(IReadOnlyList<ReadOnlyMemory<byte>> chunks)
    {
        if (chunks.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        if (chunks.Count == 1)
        {
            return new ReadOnlySequence<byte>(chunks[0]);
        }

        var first = new ChunkSegment(chunks[0], 0);
        var last = first;
        for (var i = 1; i < chunks.Count; i++)
        {
            var next = new ChunkSegment(chunks[i], last.RunningIndex + last.Memory.Length);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary><paramref name="bytes"/> cut into segments of <paramref name="segmentSize"/> bytes.</summary>
    public static ReadOnlySequence<byte> Chain(ReadOnlyMemory<byte> bytes, int segmentSize)
    {
        var chunks = new List<ReadOnlyMemory<byte>>();
        for (var offset = 0; offset < bytes.Length; offset += segmentSize)
        {
            chunks.Add(bytes.Slice(offset, Math.Min(segmentSize, bytes.Length - offset)));
        }

        return Chain(chunks);
    }
}
