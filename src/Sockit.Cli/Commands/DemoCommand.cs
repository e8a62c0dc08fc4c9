using System.CommandLine;
using System.Text;
using Sockit.Cli.Commands.Lessons;
using Sockit.Framing;
using Sockit.Lessons;

namespace Sockit.Cli.Commands;

/// <summary><c>sockit demo</c>: runnable lessons from the course notes.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var count = new Option<int>("--count", "-n")
        {
            Description = $"Messages to send (1 to {StickyPackets.MaxCount})",
            DefaultValueFactory = _ => 200,
        };
        var sticky = new Command(
            "sticky",
            "Sticky packets (粘包): a TCP byte stream has no message boundaries. Sends N small messages over loopback, one send() each, and reads them with recv(1024) like the course's server: first raw (glued and cut), then with line and length framing (every message intact).")
        {
            count,
        };
        sticky.WithExamples("sockit demo sticky", "sockit demo sticky --count 500");
        sticky.SetRun(async (result, cancellationToken) =>
        {
            var n = result.GetValue(count);
            if (n is < 1 or > StickyPackets.MaxCount)
            {
                throw new UsageException($"--count: '{n}' is out of range (1 to {StickyPackets.MaxCount})");
            }

            Console.WriteLine($"Sending {n} messages (msg-1 … msg-{n}), one send() each, over 127.0.0.1; the receiver calls recv({StickyPackets.ReceiveSize}).");
            Console.WriteLine();
            foreach (var spec in new[] { FrameSpec.Raw, FrameSpec.Line, FrameSpec.Length })
            {
                Print(await StickyPackets.RunAsync(spec, n, cancellationToken));
            }

            Console.WriteLine("The fix is a framing: a delimiter (line, delim:SEQ) or a length prefix (length, varint) tells the receiver where each message ends.");
            return ExitCode.Success;
        });

        return new Command("demo", "Runnable lessons from the socket course")
        {
            sticky, ConnectionDemos.CreateHandshake(), ConnectionDemos.CreateClose(), TransportDemos.CreateTcpVersusUdp(), LayersDemo.Create(), ServersDemo.Create(), ServersDemo.CreateWorker(),
        }.WithExamples("sockit demo sticky", "sockit demo sticky -n 5", "sockit demo handshake", "sockit demo close --reset");
    }

    private static void Print(StickyPacketRun run)
    {
        var verdict = run.MessagesIntact == run.MessagesSent ? "every message intact" : "message boundaries lost";
        Console.WriteLine($"{run.Spec,-13} {run.MessagesSent} sends -> {run.Reads} recv() call{(run.Reads == 1 ? "" : "s")}; {run.MessagesIntact} of {run.MessagesSent} messages recovered: {verdict}");
        if (run.Spec.Kind == FrameKind.Raw)
        {
            for (var i = 0; i < run.FirstReads.Count; i++)
            {
                Console.WriteLine($"        read {i + 1}: {run.ReadSizes[i],4} bytes  {Preview(run.FirstReads[i])}");
            }
        }

        Console.WriteLine();
    }

    private static string Preview(byte[] read)
    {
        var text = Encoding.UTF8.GetString(read);
        return text.Length <= 60 ? $"\"{text}\"" : $"\"{text[..28]}…{text[^28..]}\"";
    }
}
