using System.Buffers;

namespace Sockit.Framing;

/// <summary>
/// <c>varint</c>: an unsigned LEB128 length (protobuf's delimited format), then the payload. A length beyond
/// the limit is rejected while its header is still arriving; more than 10 header bytes, or a value beyond
/// 64 bits, is malformed.
/// </summary>
internal sealed class VarintDecoder(FrameSpec spec, FramingOptions options) : FrameDecoder(spec, options)
{
    /// <summary>The longest LEB128 encoding of a 64-bit value.</summary>
    public const int MaxHeaderLength = 10;

    private ulong _skipRemaining;

    private protected override bool IsSkipping => _skipRemaining > 0;

    private protected override FrameStatus DecodeCore(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        frame = default;
        while (true)
        {
            if (_skipRemaining > 0 && !SkipBuffered(ref buffer, ref _skipRemaining))
            {
                return FrameStatus.NeedMoreData;
            }

            // Hot path: a header that is wholly in the first segment (always so when that holds 10 bytes).
            var first = buffer.FirstSpan;
            var status = first.Length >= MaxHeaderLength || buffer.IsSingleSegment
                ? ReadHeader(first, out var length, out var headerLength)
                : ReadSplitHeader(buffer, out length, out headerLength);
            if (status != FrameStatus.Frame)
            {
                return status;
            }

            if (length > (ulong)MaxFrameSize)
            {
                if (!Skip)
                {
                    return FailOversize(length, $"a varint length of {length}");
                }

                SkippedFrames++;
                buffer = buffer.Slice(headerLength);
                _skipRemaining = length;
                continue;
            }

            var total = headerLength + (long)length;
            if (total > first.Length && buffer.Length < total)
            {
                IncompleteFrameLength = total;
                return FrameStatus.NeedMoreData;
            }

            frame = buffer.Slice(headerLength, (long)length);
            buffer = buffer.Slice(total);
            return FrameStatus.Frame;
        }
    }

    // A header that may straddle segments: at most 10 bytes of it matter, so copy them out.
    private FrameStatus ReadSplitHeader(in ReadOnlySequence<byte> buffer, out ulong value, out int headerLength)
    {
        Span<byte> header = stackalloc byte[MaxHeaderLength];
        var available = (int)Math.Min(buffer.Length, MaxHeaderLength);
        buffer.Slice(0, available).CopyTo(header);
        return ReadHeader(header[..available], out value, out headerLength);
    }

    /// <summary>
    /// Reads the LEB128 header from all the bytes there are so far; <see cref="FrameStatus.Frame"/> means a whole
    /// header was read, <see cref="FrameStatus.NeedMoreData"/> that it continues past them.
    /// </summary>
    private FrameStatus ReadHeader(ReadOnlySpan<byte> bytes, out ulong value, out int headerLength)
    {
        value = 0;
        headerLength = 0;
        foreach (var b in bytes)
        {
            if (headerLength == MaxHeaderLength - 1 && b > 1)
            {
                // The 10th byte may only carry the 64th bit: anything more is beyond 64 bits or too long.
                Fail(FrameErrorKind.Malformed, b,
                    $"a varint length header longer than {MaxHeaderLength} bytes or beyond 64 bits (varint framing)");
                return FrameStatus.Invalid;
            }

            value |= (ulong)(b & 0x7F) << (7 * headerLength);
            headerLength++;
            if ((b & 0x80) == 0)
            {
                return FrameStatus.Frame;
            }

            if (!Skip && value > (ulong)MaxFrameSize)
            {
                // Already too big before the header is even complete: fail fast.
                return FailOversize(value, $"a varint length of at least {value}");
            }
        }

        return FrameStatus.NeedMoreData;
    }
}
