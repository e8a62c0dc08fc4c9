using System.Globalization;
using Sockit.Files;

namespace Sockit.Cli.Output;

/// <summary>
/// The progress of a transfer on stderr when it is a terminal, redrawn five times a second: the current file (its
/// bytes and percentage), the whole transfer (entries, bytes, percentage), the rate and the ETA. Erased when disposed.
/// </summary>
internal sealed class TransferProgressBar : IDisposable
{
    private readonly TransferProgress _progress;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _draw = new();
    private readonly Task _loop;
    private bool _disposed;

    private TransferProgressBar(TransferProgress progress)
    {
        _progress = progress;
        _loop = LoopAsync();
    }

    public static TransferProgressBar Start(TransferProgress progress) => new(progress);

    /// <summary>Erases the bar, so a line can be printed; the next tick draws it again below.</summary>
    public void Clear()
    {
        lock (_draw)
        {
            Console.Error.Write("\r\u001b[2K");
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stop.Cancel();
        _loop.Wait(TimeSpan.FromSeconds(5));
        Clear();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        var started = DateTime.UtcNow;
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var elapsed = (DateTime.UtcNow - started).TotalSeconds;
                var bytes = _progress.Bytes;
                var rate = bytes / Math.Max(elapsed, 1e-3);
                var total = Math.Max(_progress.TotalBytes, bytes);
                var eta = rate > 0 && total > bytes ? TimeSpan.FromSeconds((total - bytes) / rate) : TimeSpan.Zero;
                var overall = total == 0 ? 1.0 : (double)bytes / total;
                var fileShare = _progress.CurrentSize == 0 ? 1.0 : (double)_progress.CurrentBytes / _progress.CurrentSize;
                var name = _progress.CurrentName;
                if (name.Length > 28)
                {
                    name = "…" + name[^27..];
                }

                var line = string.Create(CultureInfo.InvariantCulture,
                    $"\r\u001b[2K{Bar(overall, 24)} {overall,4:P0}  {_progress.EntriesDone}/{_progress.TotalEntries} entries  {TransferReport.Size(bytes)}/{TransferReport.Size(total)}  {TransferReport.Size((long)rate)}/s  ETA {eta:hh\\:mm\\:ss}  {name} {fileShare,4:P0}");
                lock (_draw)
                {
                    Console.Error.Write(line);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string Bar(double share, int width)
    {
        var full = (int)Math.Round(Math.Clamp(share, 0, 1) * width);
        return "[" + new string('#', full) + new string('-', width - full) + "]";
    }
}
