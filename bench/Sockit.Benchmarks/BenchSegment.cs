using System.Buffers;

namespace Sockit.Benchmarks;

/// <summary>A link in a multi-segment <see cref="ReadOnlySequence{T}"/> built over one array.</summary>
internal sealed class BenchSegment : ReadOnlySequenceSegment<byte>
{
    private BenchSegment(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    /// <summary><paramref name="bytes"/> as one segment, or cut into segments of <paramref name="segmentSize"/> bytes.</summary>
    public static ReadOnlySequence<byte> Sequence(byte[] bytes, Layout layout, int segmentSize = 4096)
    {
        if (layout == Layout.OneSegment || bytes.Length <= segmentSize)
        {
            return new ReadOnlySequence<byte>(bytes);
        }

        var first = new BenchSegment(bytes.AsMemory(0, segmentSize), 0);
        var last = first;
        for (var offset = segmentSize; offset < bytes.Length; offset += segmentSize)
        {
            var next = new BenchSegment(bytes.AsMemory(offset, Math.Min(segmentSize, bytes.Length - offset)), offset);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
