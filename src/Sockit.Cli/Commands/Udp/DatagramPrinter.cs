using System.Text;

namespace Sockit.Cli.Commands.Udp;

/// <summary>
/// Writes received messages to stdout as text, with their sender when there may be several
/// (<c>[127.0.0.1:40001] hello</c>). One trailing newline is dropped, so <c>nc -u</c>'s "hello\n" prints as one line.
/// </summary>
internal sealed class DatagramPrinter(TextWriter output)
{
    /// <param name="sender">Shown before the text; null prints the bare text (a reply from the one server).</param>
    /// <param name="message">The bytes, shown as UTF-8.</param>
    public void Print(string? sender, ReadOnlySpan<byte> message)
    {
        var text = Encoding.UTF8.GetString(message).TrimEnd('\n').TrimEnd('\r');
        output.WriteLine(sender is null ? text : $"[{sender}] {text}");
    }
}
