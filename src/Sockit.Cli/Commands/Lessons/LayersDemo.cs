using System.CommandLine;
using System.Text;
using Sockit.Capture;
using Sockit.Lessons;

namespace Sockit.Cli.Commands.Lessons;

/// <summary><c>sockit demo layers</c>.</summary>
internal static class LayersDemo
{
    public static Command Create()
    {
        var json = FactsOutput.CreateJsonOption();
        var command = new Command(
            "layers",
            "The layers in one real packet: a short message sent over 127.0.0.1 is captured and decoded layer by layer (link, network, transport, application), with the hex dump marked by layer: each layer adds its header on the way out and removes it on the way in. Capture needs CAP_NET_RAW; without it only the application's bytes are shown.")
        {
            json,
        };
        command.WithExamples("sudo sockit demo layers", "sudo sockit demo layers --json");
        command.SetRun(async (parseResult, cancellationToken) =>
        {
            var run = await LayersLesson.RunAsync(cancellationToken);
            if (parseResult.GetValue(json))
            {
                LessonsJson.Write(run, LessonsJsonContext.Default.LayersRun);
                return ExitCode.Success;
            }

            Print(run);
            return ExitCode.Success;
        });
        return command;
    }

    private static void Print(LayersRun run)
    {
        Console.WriteLine($"The client calls send(b'{run.Message}'); the segment that carried it on lo, layer by layer:");
        if (run.Frame is null)
        {
            Console.WriteLine($"({run.Capture}: only the application layer is shown, which is all the socket calls see)");
        }

        Console.WriteLine();
        foreach (var layer in run.Layers)
        {
            Console.WriteLine($"{Marker(layer.Layer)} {layer.Layer}: {layer.Protocol}, {layer.Length} bytes{(run.Frame is null ? "" : $" at offset {layer.Offset}")}");
            foreach (var field in layer.Fields)
            {
                Console.WriteLine($"    {field.Name + ":",-24} {field.Value}");
            }
        }

        if (run.Frame is not null)
        {
            Console.WriteLine();
            Console.WriteLine("The frame as the kernel handed it to the wire, each byte marked by its layer (L link, N network, T transport, A application):");
            foreach (var line in MarkedDump(run.Frame, run.Layers))
            {
                Console.WriteLine(line);
            }

            Console.WriteLine();
            Console.WriteLine("On the way out TCP put its header before the data, IP its header before that, Ethernet its own in front; the receiver strips them in the reverse order and recv() returns the data alone.");
        }
    }

    private static char Marker(string layer) => char.ToUpperInvariant(layer == "network" ? 'n' : layer[0]);

    private static IEnumerable<string> MarkedDump(byte[] frame, IReadOnlyList<LayerSection> layers)
    {
        var marks = new char[frame.Length];
        Array.Fill(marks, '.');
        foreach (var layer in layers)
        {
            marks.AsSpan(layer.Offset, Math.Min(layer.Length, frame.Length - layer.Offset)).Fill(Marker(layer.Layer));
        }

        for (var row = 0; row < frame.Length; row += 16)
        {
            var count = Math.Min(16, frame.Length - row);
            var hex = new StringBuilder(48);
            for (var i = 0; i < 16; i++)
            {
                hex.Append(i < count ? $"{frame[row + i]:x2} " : "   ").Append(i == 7 ? " " : "");
            }

            yield return $"{row:x4}  {hex} {new string(marks, row, count)}";
        }
    }
}
