using System.Globalization;
using System.Text;

namespace Sockit.Cli.Commands.Udp;

/// <summary>
/// Writes received messages to stdout: as text (<c>[127.0.0.1:40001] hello</c>) or, with <c>--hex</c>, as a
/// dump with offsets. One trailing newline is dropped, so <c>nc -u</c>'s "hello\n" prints as one line.
/// </summary>
internal sealed class DatagramPrinter(TextWriter output, bool hex)
{
    private const int BytesPerLine = 16;

    public void Print(string? sender, ReadOnlySpan<byte> message)
    {
        var prefix = sender is null ? "" : $"[{sender}] ";
        if (!hex)
        {
            var text = Encoding.UTF8.GetString(message);
            output.WriteLine(prefix + text.TrimEnd('\n').TrimEnd('\r'));
            return;
        }

        var sb = new StringBuilder();
        sb.Append(prefix).Append(message.Length.ToString(CultureInfo.InvariantCulture)).Append(" bytes").Append('\n');
        for (var offset = 0; offset < message.Length; offset += BytesPerLine)
        {
            var line = message.Slice(offset, Math.Min(BytesPerLine, message.Length - offset));
            sb.Append("  ").Append(offset.ToString("x4", CultureInfo.InvariantCulture)).Append("  ");
            for (var i = 0; i < BytesPerLine; i++)
            {
                sb.Append(i < line.Length ? line[i].ToString("x2", CultureInfo.InvariantCulture) + " " : "   ");
            }

            sb.Append(' ');
            foreach (var b in line)
            {
                sb.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
            }

            sb.Append('\n');
        }

        output.Write(sb.ToString());
    }
}
