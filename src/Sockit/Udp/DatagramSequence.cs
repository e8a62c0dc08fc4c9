using System.Buffers.Text;

namespace Sockit.Udp;

/// <summary>
/// Reads the sequence number a datagram may start with: ASCII digits (<c>17</c>, <c>17 hello</c>, <c>17\n</c>),
/// as <c>seq 1 1000 | sockit connect --udp …</c> sends. Lets a receiver count gaps without a binary protocol.
/// </summary>
public static class DatagramSequence
{
    /// <summary>True when <paramref name="payload"/> starts with 1 to 18 ASCII digits not followed by another digit.</summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out long sequence)
    {
        sequence = 0;
        var digits = payload.IndexOfAnyExceptInRange((byte)'0', (byte)'9');
        if (digits < 0)
        {
            digits = payload.Length;
        }

        return digits is > 0 and <= 18 && Utf8Parser.TryParse(payload[..digits], out sequence, out _);
    }
}
