using System.Buffers;
using System.Buffers.Binary;

namespace Sockit.Framing;

/// <summary><c>length:uN[be|le]</c>: the payload length in a fixed-width header, then the payload.</summary>
internal sealed class LengthPrefixEncoder(FrameSpec spec) : FrameEncoder(spec)
{
    private readonly int _width = spec.LengthWidth;
    private readonly bool _littleEndian = spec.LittleEndian;

    private protected override int HeaderLength(long payloadLength) => _width;

    private protected override void WriteHeader(Span<byte> destination, long payloadLength)
    {
        var length = (ulong)payloadLength;
        switch (_width, _littleEndian)
        {
            case (1, _): destination[0] = (byte)length; break;
            case (2, false): BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)length); break;
            case (2, true): BinaryPrimitives.WriteUInt16LittleEndian(destination, (ushort)length); break;
            case (4, false): BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)length); break;
            case (4, true): BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)length); break;
            case (8, false): BinaryPrimitives.WriteUInt64BigEndian(destination, length); break;
            default: BinaryPrimitives.WriteUInt64LittleEndian(destination, length); break;
        }
    }

    private protected override void Validate(ReadOnlySpan<byte> payload) => Check(payload.Length);

    private protected override void Validate(in ReadOnlySequence<byte> payload) => Check(payload.Length);

    private void Check(long length)
    {
        if (_width < 8 && (ulong)length >> (8 * _width) != 0)
        {
            throw new ArgumentException($"a payload of {length} bytes does not fit a {Spec} header (at most {(1UL << (8 * _width)) - 1})");
        }
    }
}
