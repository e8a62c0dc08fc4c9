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
            if (_skipRemaining > 0)
            {
                var n = (long)Math.Min(_skipRemaining, (ulong)buffer.Length);
                buffer = buffer.Slice(n);
                _skipRemaining -= (ulong)n;
                if (_skipRemaining > 0)
                {
                    return FrameStatus.NeedMoreData;
                }
            }

            var status = ReadHeader(buffer, out var length, out var headerLength);
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
            if (buffer.Length < total)
            {
                return FrameStatus.NeedMoreData;
            }

            frame = buffer.Slice(headerLength, (long)length);
            buffer = buffer.Slice(total);
            return FrameStatus.Frame;
        }
    }

    /// <summary>Reads the LEB128 header; <see cref="FrameStatus.Frame"/> means a whole header was read.</summary>
    private FrameStatus ReadHeader(in ReadOnlySequence<byte> buffer, out ulong value, out int headerLength)
    {
        value = 0;
        headerLength = 0;
        var reader = new SequenceReader<byte>(buffer);
        while (reader.TryRead(out var b))
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
