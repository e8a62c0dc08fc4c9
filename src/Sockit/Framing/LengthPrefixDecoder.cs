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

            if (buffer.Length < _width)
            {
                return FrameStatus.NeedMoreData;
            }

            var length = ReadLength(buffer);
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
            if (buffer.Length < total)
            {
                return FrameStatus.NeedMoreData;
            }

            frame = buffer.Slice(_width, (long)length);
            buffer = buffer.Slice(total);
            return FrameStatus.Frame;
        }
    }

    private ulong ReadLength(in ReadOnlySequence<byte> buffer)
    {
        var first = buffer.FirstSpan;
        if (first.Length >= _width)
        {
            return ReadLength(first);
        }

        Span<byte> header = stackalloc byte[8];
        buffer.Slice(0, _width).CopyTo(header);
        return ReadLength(header);
    }

    private ulong ReadLength(ReadOnlySpan<byte> header) => (_width, _littleEndian) switch
    {
        (1, _) => header[0],
        (2, false) => BinaryPrimitives.ReadUInt16BigEndian(header),
        (2, true) => BinaryPrimitives.ReadUInt16LittleEndian(header),
        (4, false) => BinaryPrimitives.ReadUInt32BigEndian(header),
        (4, true) => BinaryPrimitives.ReadUInt32LittleEndian(header),
        (8, false) => BinaryPrimitives.ReadUInt64BigEndian(header),
        _ => BinaryPrimitives.ReadUInt64LittleEndian(header),
    };
}
