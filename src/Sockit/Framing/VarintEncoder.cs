namespace Sockit.Framing;

/// <summary><c>varint</c>: the payload length as unsigned LEB128, then the payload.</summary>
internal sealed class VarintEncoder(FrameSpec spec) : FrameEncoder(spec)
{
    private protected override int HeaderLength(long payloadLength)
    {
        var n = 1;
        for (var v = (ulong)payloadLength; v >= 0x80; v >>= 7)
        {
            n++;
        }

        return n;
    }

    private protected override void WriteHeader(Span<byte> destination, long payloadLength)
    {
        var v = (ulong)payloadLength;
        var i = 0;
        for (; v >= 0x80; v >>= 7)
        {
            destination[i++] = (byte)(v | 0x80);
        }

        destination[i] = (byte)v;
    }
}
