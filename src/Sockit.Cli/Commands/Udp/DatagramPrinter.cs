using System.Buffers;
using System.Text;
using Sockit.Diagnostics;

namespace Sockit.Cli.Commands.Udp;

/// <summary>
/// Writes received messages to stdout: as text (<c>[127.0.0.1:40001] hello</c>) or, with <c>--hex</c>, as a dump
/// with time, sender and offsets. One trailing newline is dropped, so <c>nc -u</c>'s "hello\n" prints as one line.
/// </summary>
internal sealed class DatagramPrinter(TextWriter output, bool hex)
{
    /// <param name="sender">Shown before the text; null prints the bare text (a reply from the one server).</param>
    /// <param name="peer">Named in the hex dump's header.</param>
    /// <param name="message">The bytes.</param>
    public void Print(string? sender, string peer, ReadOnlyMemory<byte> message)
    {
        if (hex)
        {
            output.Write(HexDump.Format(TrafficDirection.In, DateTimeOffset.UtcNow, peer, 0, new ReadOnlySequence<byte>(message)));
            return;
        }

        var text = Encoding.UTF8.GetString(message.Span).TrimEnd('\n').TrimEnd('\r');
        output.WriteLine(sender is null ? text : $"[{sender}] {text}");
    }
}
