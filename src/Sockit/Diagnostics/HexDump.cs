using System.Buffers;
using System.Globalization;
using System.Text;

namespace Sockit.Diagnostics;

/// <summary>
/// Formats bytes the way <c>socat -x</c> and <c>xxd</c> users expect: a header line with direction, time,
/// peer, offset and length, then 16 bytes a line with the stream offset, hex and printable ASCII.
/// </summary>
public static class HexDump
{
    /// <summary>Formats one chunk of traffic.</summary>
    /// <param name="direction">In (<c>&lt;</c>) or out (<c>&gt;</c>).</param>
    /// <param name="timestamp">When it was seen.</param>
    /// <param name="peer">The remote end, as text.</param>
    /// <param name="offset">The stream offset of the first byte.</param>
    /// <param name="data">The bytes.</param>
    public static string Format(TrafficDirection direction, DateTimeOffset timestamp, string peer, long offset, in ReadOnlySequence<byte> data)
    {
        var arrow = direction == TrafficDirection.In ? '<' : '>';
        return Format(string.Create(CultureInfo.InvariantCulture,
            $"{arrow} {timestamp:yyyy-MM-ddTHH:mm:ss.ffffffZ} {(direction == TrafficDirection.In ? "from" : "to")} {peer} offset={offset} length={data.Length}"), offset, data);
    }

    /// <summary>Formats one chunk of traffic under a heading of the caller's (one line, without its line end).</summary>
    /// <param name="heading">The first line: direction, time, who, offset and length, as the caller shows them.</param>
    /// <param name="offset">The stream offset of the first byte (the dump's left column).</param>
    /// <param name="data">The bytes.</param>
    public static string Format(string heading, long offset, in ReadOnlySequence<byte> data)
    {
        var sb = new StringBuilder(heading).Append('\n');
        Span<byte> line = stackalloc byte[16];
        var position = 0L;
        var reader = new SequenceReader<byte>(data);
        while (!reader.End)
        {
            var n = (int)Math.Min(16, reader.Remaining);
            reader.TryCopyTo(line[..n]);
            reader.Advance(n);
            sb.Append(CultureInfo.InvariantCulture, $"{offset + position:x8}  ");
            for (var i = 0; i < 16; i++)
            {
                sb.Append(i < n ? line[i].ToString("x2", CultureInfo.InvariantCulture) : "  ").Append(i == 7 ? "  " : " ");
            }

            sb.Append(' ');
            for (var i = 0; i < n; i++)
            {
                sb.Append(line[i] is >= 0x20 and < 0x7F ? (char)line[i] : '.');
            }

            sb.Append('\n');
            position += n;
        }

        return sb.ToString();
    }
}
