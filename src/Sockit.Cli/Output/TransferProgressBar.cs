using Sockit.Files;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Sockit.Cli.Output;

/// <summary>
/// The progress of a transfer on stderr when it is a terminal: Spectre.Console's live progress display with two rows,
/// the whole transfer (entries done of all) and the current file, each with its bar, percentage, bytes, rate and
/// remaining time; redrawn five times a second from <see cref="TransferProgress"/>, erased when disposed.
/// </summary>
/// <remarks>
/// Lines printed while it runs go through <see cref="WriteLine"/>: Spectre.Console draws them above the live rows
/// (a render hook on the same console), so a failure line never tears the bar.
/// </remarks>
internal sealed class TransferProgressBar : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(200);

    private readonly TransferProgress _progress;
    private readonly IAnsiConsole _console = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Error),
        Interactive = InteractionSupport.Yes, // the caller checked that stderr is a terminal; stdin may be anything
    });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _display;

    private TransferProgressBar(TransferProgress progress)
    {
        _progress = progress;
        _display = _console.Progress()
            .AutoClear(true)
            .AutoRefresh(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(UpdateAsync);
    }

    /// <summary>Starts drawing <paramref name="progress"/> on stderr.</summary>
    public static TransferProgressBar Start(TransferProgress progress) => new(progress);

    /// <summary>Prints <paramref name="line"/> (plain text, not markup) on stderr above the live rows.</summary>
    public void WriteLine(string line) => _console.Write(new PlainLine(line));

    /// <summary>Stops and erases the display; lines printed after this go to stderr as usual.</summary>
    public void Dispose()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        _display.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    private async Task UpdateAsync(ProgressContext context)
    {
        var all = context.AddTask("all");
        var file = context.AddTask("…");
        while (!_stop.IsCancellationRequested)
        {
            var bytes = _progress.Bytes;
            all.Description = $"{_progress.EntriesDone}/{_progress.TotalEntries} entries";
            all.MaxValue = Math.Max(1, Math.Max(_progress.TotalBytes, bytes));
            all.Value = bytes;
            file.Description = Markup.Escape(Shorten(_progress.CurrentName));
            file.MaxValue = Math.Max(1, _progress.CurrentSize);
            file.Value = _progress.CurrentBytes;
            try
            {
                await Task.Delay(Tick, _stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>A long name keeps its end (the file's own name) in 28 characters.</summary>
    private static string Shorten(string name) => name.Length is > 28 ? "…" + name[^27..] : name.Length == 0 ? "…" : name;

    /// <summary>One line as it is: not parsed as markup, not wrapped at the terminal's width (so it reads and greps as without the bar).</summary>
    private sealed class PlainLine(string text) : IRenderable
    {
        public Measurement Measure(RenderOptions options, int maxWidth) => new(text.Length, text.Length);

        public IEnumerable<Segment> Render(RenderOptions options, int maxWidth) =>
            [new Segment(text), Segment.LineBreak];
    }
}
