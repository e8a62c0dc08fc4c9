using System.Buffers;

namespace Sockit.Framing;

/// <summary>
/// <c>line</c> and <c>delim:SEQ</c>: frames end at a byte sequence. The search resumes where the last call
/// stopped, so a frame that arrives one byte at a time is scanned once, not once per byte.
/// </summary>
internal sealed class DelimiterDecoder : FrameDecoder
{
    private readonly byte[] _delimiter;
    private readonly bool _stripCarriageReturn;

    // The most payload bytes that may be buffered without a delimiter: the limit, plus one for line framing,
    // whose \r before the \n is not payload. A long: int.MaxValue + 1 must not wrap around.
    private readonly long _maxPending;

    // Bytes at the front of the buffer already searched without finding a delimiter start.
    private long _searched;

    // Discarding an oversize frame up to its delimiter (Skip policy).
    private bool _skipping;

    public DelimiterDecoder(FrameSpec spec, FramingOptions options)
        : base(spec, options)
    {
        _delimiter = spec.Delimiter.ToArray();
        _stripCarriageReturn = spec.Kind == FrameKind.Line;
        _maxPending = (long)MaxFrameSize + (_stripCarriageReturn ? 1 : 0);
    }

    /// <summary>Total bytes searched for a delimiter: shows the search is linear in the stream length.</summary>
    internal long BytesSearched { get; private set; }

    private protected override bool IsSkipping => _skipping;

    private protected override FrameStatus DecodeCore(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        frame = default;
        while (true)
        {
            var index = IndexOfDelimiter(buffer, _searched);
            if (index < 0)
            {
                // A delimiter can still start in the last (length - 1) bytes; everything before is payload.
                var payloadSoFar = buffer.Length - _delimiter.Length + 1;
                if (_skipping)
                {
                    buffer = buffer.Slice(Math.Max(0, payloadSoFar));
                    _searched = 0;
                    return FrameStatus.NeedMoreData;
                }

                if (payloadSoFar > _maxPending)
                {
                    if (!Skip)
                    {
                        return FailOversize((ulong)payloadSoFar, $"{payloadSoFar} bytes without a delimiter");
                    }

                    SkippedFrames++;
                    _skipping = true;
                    continue;
                }

                _searched = Math.Max(0, payloadSoFar);
                return FrameStatus.NeedMoreData;
            }

            _searched = 0;
            if (_skipping)
            {
                buffer = buffer.Slice(index + _delimiter.Length);
                _skipping = false;
                continue;
            }

            var payloadLength = index;
            if (_stripCarriageReturn && index > 0 && ByteAt(buffer, index - 1) == (byte)'\r')
            {
                payloadLength--;
            }

            if (payloadLength > MaxFrameSize)
            {
                buffer = buffer.Slice(index + _delimiter.Length);
                if (!Skip)
                {
                    return FailOversize((ulong)payloadLength, $"a frame of {payloadLength} bytes");
                }

                SkippedFrames++;
                continue;
            }

            frame = buffer.Slice(0, payloadLength);
            buffer = buffer.Slice(index + _delimiter.Length);
            return FrameStatus.Frame;
        }
    }

    private static byte ByteAt(in ReadOnlySequence<byte> buffer, long index)
    {
        var first = buffer.FirstSpan;
        if (index < first.Length)
        {
            return first[(int)index];
        }

        // Slice can land at the very end of a segment, so its FirstSpan may be empty: the reader steps over that.
        new SequenceReader<byte>(buffer.Slice(index)).TryPeek(out var value);
        return value;
    }

    /// <summary>Index of the first delimiter at or after <paramref name="from"/>, or -1.</summary>
    private long IndexOfDelimiter(in ReadOnlySequence<byte> buffer, long from)
    {
        // Hot path: a span search of the first segment, without slicing the sequence.
        var first = buffer.FirstSpan;
        if (from < first.Length)
        {
            var found = IndexOf(first[(int)from..]);
            if (found >= 0)
            {
                BytesSearched += found + _delimiter.Length;
                return from + found;
            }

            BytesSearched += first.Length - from;
            if (buffer.IsSingleSegment)
            {
                return -1;
            }

            // A delimiter may still start in the first segment's last (length - 1) bytes and run on.
            from = Math.Max(from, first.Length - _delimiter.Length + 1);
        }
        else if (buffer.IsSingleSegment)
        {
            return -1;
        }

        var rest = buffer.Slice(from);
        var reader = new SequenceReader<byte>(rest);
        var inRest = reader.TryReadTo(out ReadOnlySequence<byte> before, _delimiter, advancePastDelimiter: false)
            ? before.Length
            : -1;
        BytesSearched += inRest < 0 ? rest.Length : inRest + _delimiter.Length;
        return inRest < 0 ? -1 : from + inRest;
    }

    private int IndexOf(ReadOnlySpan<byte> span) =>
        _delimiter.Length == 1 ? span.IndexOf(_delimiter[0]) : span.IndexOf(_delimiter);
}
