namespace Sockit.Load;

/// <summary>
/// The bench's message: 8 hex digits of connection id, 16 hex digits of sequence number, then a fixed fill
/// of the letters g–z. Text, so that line and delimiter framings can carry it; fixed, so a reply is checked
/// byte for byte without storing what was sent.
/// </summary>
internal static class EchoMessage
{
    /// <summary>Bytes of header: the connection id and the sequence number in hex.</summary>
    public const int HeaderSize = 24;

    /// <summary>Hex digits of the connection id, at the start of the header.</summary>
    public const int IdDigits = 8;

    /// <summary>Hex digits of the sequence number, after the id.</summary>
    public const int SequenceDigits = 16;

    private static ReadOnlySpan<byte> HexDigits => "0123456789abcdef"u8;

    /// <summary>A message template of <paramref name="size"/> bytes: zero header, then the fill.</summary>
    public static byte[] CreateTemplate(int size)
    {
        var message = new byte[size];
        for (var i = HeaderSize; i < size; i++)
        {
            message[i] = (byte)('g' + (i % 20));
        }

        return message;
    }

    /// <summary>Whether a delimiter can never occur inside a message: it has a byte outside 0-9 and a-z.</summary>
    public static bool CanCarry(ReadOnlySpan<byte> delimiter)
    {
        foreach (var b in delimiter)
        {
            if (b is not ((>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'z')))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Writes the header for message <paramref name="sequence"/> of connection <paramref name="connectionId"/>.</summary>
    public static void WriteHeader(Span<byte> message, int connectionId, long sequence)
    {
        WriteHex(message[..IdDigits], (ulong)(uint)connectionId);
        WriteHex(message[IdDigits..HeaderSize], (ulong)sequence);
    }

    /// <summary>
    /// Moves the header on to the next sequence number by incrementing its hex digits in place, an odometer:
    /// constant time on average, so neither side formats a number per message.
    /// </summary>
    public static void IncrementSequence(Span<byte> message)
    {
        for (var i = HeaderSize - 1; i >= IdDigits; i--)
        {
            var digit = message[i];
            if (digit != (byte)'f')
            {
                message[i] = digit == (byte)'9' ? (byte)'a' : (byte)(digit + 1);
                return;
            }

            message[i] = (byte)'0';
        }
    }

    /// <summary>Reads the header of a reply; <see langword="false"/> when it is not hex.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> reply, out int connectionId, out long sequence)
    {
        connectionId = 0;
        sequence = 0;
        if (reply.Length < HeaderSize || !TryReadHex(reply[..IdDigits], out var id) || !TryReadHex(reply[IdDigits..HeaderSize], out var seq))
        {
            return false;
        }

        connectionId = (int)id;
        sequence = (long)seq;
        return true;
    }

    /// <summary>Whether the reply's fill is the template's, byte for byte.</summary>
    public static bool FillMatches(ReadOnlySpan<byte> reply, ReadOnlySpan<byte> template) =>
        reply.Length == template.Length && reply[HeaderSize..].SequenceEqual(template[HeaderSize..]);

    private static void WriteHex(Span<byte> destination, ulong value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = HexDigits[(int)(value & 0xF)];
            value >>= 4;
        }
    }

    private static bool TryReadHex(ReadOnlySpan<byte> digits, out ulong value)
    {
        value = 0;
        foreach (var c in digits)
        {
            int nibble = c switch
            {
                >= (byte)'0' and <= (byte)'9' => c - '0',
                >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
                _ => -1,
            };
            if (nibble < 0)
            {
                return false;
            }

            value = (value << 4) | (uint)nibble;
        }

        return true;
    }
}
