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
            var payload = buffer.Slice(0, index);
            buffer = buffer.Slice(index + _delimiter.Length);
            if (_skipping)
            {
                _skipping = false;
                continue;
            }

            if (_stripCarriageReturn && index > 0 && payload.Slice(index - 1).FirstSpan[0] == (byte)'\r')
            {
                payload = payload.Slice(0, index - 1);
            }

            if (payload.Length > MaxFrameSize)
            {
                if (!Skip)
                {
                    return FailOversize((ulong)payload.Length, $"a frame of {payload.Length} bytes");
                }

                SkippedFrames++;
                continue;
            }

            frame = payload;
            return FrameStatus.Frame;
        }
    }

    /// <summary>Index of the first delimiter at or after <paramref name="from"/>, or -1.</summary>
    private long IndexOfDelimiter(in ReadOnlySequence<byte> buffer, long from)
    {
        var rest = buffer.Slice(from);
        long found;
        if (rest.IsSingleSegment)
        {
            var span = rest.FirstSpan;
            found = _delimiter.Length == 1 ? span.IndexOf(_delimiter[0]) : span.IndexOf(_delimiter);
        }
        else
        {
            var reader = new SequenceReader<byte>(rest);
            found = reader.TryReadTo(out ReadOnlySequence<byte> before, _delimiter, advancePastDelimiter: false)
                ? before.Length
                : -1;
        }

        BytesSearched += found < 0 ? rest.Length : found + _delimiter.Length;
        return found < 0 ? -1 : from + found;
    }
}
