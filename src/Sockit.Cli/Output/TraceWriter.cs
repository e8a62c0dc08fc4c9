namespace Sockit.Cli.Output;

/// <summary>
/// Trace lines to stdout: each line at once on a terminal; otherwise buffered and flushed every 100 ms, so a
/// redirected trace costs one write per batch rather than per segment and keeps up with busy traffic.
/// </summary>
internal sealed class TraceWriter : IAsyncDisposable
{
    private readonly StreamWriter? _writer;
    private readonly bool _everyLine = !Console.IsOutputRedirected;
    private readonly Lock _lock = new();
    private readonly PeriodicTimer _timer = new(TimeSpan.FromMilliseconds(100));
    private readonly Task _flusher = Task.CompletedTask;
    private bool _broken;

    public TraceWriter(bool enabled)
    {
        if (enabled)
        {
            _writer = new StreamWriter(StandardOutput.Open(), new System.Text.UTF8Encoding(false), 1 << 16);
            _flusher = _everyLine ? Task.CompletedTask : FlushPeriodicallyAsync();
        }
    }

    /// <summary>Writes one line; false once stdout's reader has gone away.</summary>
    public bool Write(string line)
    {
        lock (_lock)
        {
            try
            {
                _writer!.WriteLine(line);
                if (_everyLine)
                {
                    _writer.Flush();
                }
            }
            catch (IOException)
            {
                _broken = true;
            }

            return !_broken;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _timer.Dispose();
        await _flusher.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (_lock)
        {
            try
            {
                _writer?.Dispose();
            }
            catch (IOException)
            {
                // The reader has gone: nothing more to say to it.
            }
        }
    }

    private async Task FlushPeriodicallyAsync()
    {
        while (await _timer.WaitForNextTickAsync().ConfigureAwait(false))
        {
            lock (_lock)
            {
                try
                {
                    _writer!.Flush();
                }
                catch (IOException)
                {
                    _broken = true; // seen by the next Write: like tcpdump, the trace ends at the next segment
                    return;
                }
            }
        }
    }
}
