using System.Globalization;
using Sockit.Load;

namespace Sockit.Cli.Output;

/// <summary>A progress line on stderr, redrawn every second while a bench runs; erased when disposed.</summary>
internal sealed class ProgressLine : IDisposable
{
    private readonly EchoLoadGenerator _generator;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private ProgressLine(EchoLoadGenerator generator)
    {
        _generator = generator;
        _loop = LoopAsync();
    }

    public static ProgressLine Start(EchoLoadGenerator generator) => new(generator);

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait(TimeSpan.FromSeconds(5));
        Console.Error.Write("\r\u001b[2K");
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var last = _generator.GetProgress();
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var now = _generator.GetProgress();
                var rate = (now.Verified - last.Verified) / Math.Max(1e-9, (now.Elapsed - last.Elapsed).TotalSeconds);
                last = now;
                Console.Error.Write(string.Create(CultureInfo.InvariantCulture,
                    $"\r\u001b[2K{now.Elapsed.TotalSeconds,6:0.0} s  {rate,12:N0} msg/s  errors {now.Errors}{(now.WarmingUp ? "  (warm-up)" : "")}"));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
