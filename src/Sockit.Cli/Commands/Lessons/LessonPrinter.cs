using System.Globalization;
using Sockit.Capture;
using Sockit.Lessons;

namespace Sockit.Cli.Commands.Lessons;

/// <summary>Prints a <see cref="LessonRun"/>: socket calls with the kernel's states, and the captured segments between them.</summary>
internal static class LessonPrinter
{
    private const string Indent = "                     ";

    public static void Print(string title, LessonRun run)
    {
        Console.WriteLine(title);
        Console.WriteLine(run.Captured
            ? "Each call is shown when it returned, the segments it caused just before it (kernel timestamps, lo)."
            : run.Capture + "; the kernel's socket states below need no privilege");
        Console.WriteLine();
        var start = run.Steps[0].Time;
        foreach (var (time, step, segment) in run.Timeline())
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"{(time - start).TotalMilliseconds,9:0.000} ms");
            if (segment is not null)
            {
                Console.WriteLine($"{at}  wire    {TraceText.Segment(segment)}");
                continue;
            }

            Console.WriteLine($"{at}  {step!.Actor,-6}  {step.Call} -> {step.Result}");
            if (step.States.Count > 0)
            {
                Console.WriteLine(Indent + "kernel: " + string.Join(", ", step.States.Select(s => $"{s.Socket} {s.State}")));
            }

            if (step.Note is not null)
            {
                Console.WriteLine(Indent + step.Note);
            }
        }
    }
}
