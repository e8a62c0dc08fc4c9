using System.Buffers;
using System.Buffers.Binary;

namespace Sockit.Framing;

/// <summary>
/// <c>length:uN[be|le]</c>: a fixed-width unsigned length, then the payload. The length is never trusted:
/// it is checked against the limit as soon as the header is in, before a single payload byte is buffered.
/// </summary>
internal sealed class LengthPrefixDecoder(FrameSpec spec, FramingOptions options) : FrameDecoder(spec, options)
{
    private readonly int _width = spec.LengthWidth;
    private readonly bool _littleEndian = spec.LittleEndian;

    // Payload bytes of an oversize frame still to discard (Skip policy).
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

            // Hot path: the header, and usually the whole frame, is in the first segment; the sequence's
            // Length (which looks at the last segment) is only asked for when it is not.
            var first = buffer.FirstSpan;
            ulong length;
            if (first.Length >= _width)
            {
                length = ReadLength(first);
            }
            else if (buffer.Length >= _width)
            {
                length = ReadSplitLength(buffer);
            }
            else
            {
                return FrameStatus.NeedMoreData;
            }

            if (length > (ulong)MaxFrameSize)
            {
                if (!Skip)
                {
                    return FailOversize(length, $"a length header of {length}");
                }

                SkippedFrames++;
                buffer = buffer.Slice(_width);
                _skipRemaining = length;
                continue;
            }

            var total = _width + (long)length;
            if (total > first.Length && buffer.Length < total)
            {
                IncompleteFrameLength = total;
                return FrameStatus.NeedMoreData;
            }

            frame = buffer.Slice(_width, (long)length);
            buffer = buffer.Slice(total);
            return FrameStatus.Frame;
        }
    }

    // Kept out of DecodeCore: a stackalloc there would cost every call a stack-cookie check.
    private ulong ReadSplitLength(in ReadOnlySequence<byte> buffer)
    {
        Span<byte> header = stackalloc byte[8];
        buffer.Slice(0, _width).CopyTo(header);
        return ReadLength(header);
    }

    private ulong ReadLength(ReadOnlySpan<byte> header) => _width switch
    {
        1 => header[0],
        2 => _littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(header) : BinaryPrimitives.ReadUInt16BigEndian(header),
        4 => _littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(header) : BinaryPrimitives.ReadUInt32BigEndian(header),
        _ => _littleEndian ? BinaryPrimitives.ReadUInt64LittleEndian(header) : BinaryPrimitives.ReadUInt64BigEndian(header),
    };
}
