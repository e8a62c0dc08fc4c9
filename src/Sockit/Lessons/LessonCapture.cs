using Sockit.Capture;

namespace Sockit.Lessons;

/// <summary>
/// Captures a lesson's segments on loopback in the background when the process may (CAP_NET_RAW); otherwise the
/// lesson runs without them and says why.
/// </summary>
internal sealed class LessonCapture : IAsyncDisposable
{
    /// <summary>The <see cref="LessonRun.Capture"/> text when segments were captured.</summary>
    public const string Running = "captured on lo";

    private readonly TcpTrace? _trace;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TracedSegment> _segments = [];
    private readonly Task _reader = Task.CompletedTask;
    private long _lastArrival = Environment.TickCount64;

    private LessonCapture(TcpTrace? trace, string status)
    {
        _trace = trace;
        Status = status;
        if (trace is not null)
        {
            _reader = Task.Run(ReadAsync);
        }
    }

    /// <summary><see cref="Running"/>, or why there is no capture.</summary>
    public string Status { get; }

    /// <summary>Starts capturing segments to or from <paramref name="port"/> on <c>lo</c>, if allowed.</summary>
    public static LessonCapture Start(int port)
    {
        try
        {
            return new LessonCapture(TcpTrace.Start("lo", new HashSet<int> { port }), Running);
        }
        catch (CapturePermissionException)
        {
            return new LessonCapture(null, "no capture: it needs CAP_NET_RAW (run as root, or setcap cap_net_raw+ep on sockit); the kernel's socket states below need no privilege");
        }
    }

    /// <summary>
    /// Waits until no segment has arrived for a moment (at most 1 s), stops, and returns the segments in order.
    /// </summary>
    public async Task<IReadOnlyList<TracedSegment>> StopAsync(CancellationToken cancellationToken = default)
    {
        var deadline = Environment.TickCount64 + 1000;
        while (_trace is not null && Environment.TickCount64 < deadline && Environment.TickCount64 - Interlocked.Read(ref _lastArrival) < 150)
        {
            await Task.Delay(25, cancellationToken).ConfigureAwait(false);
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (_segments)
        {
            return [.. _segments];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _trace?.Dispose();
        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        await foreach (var segment in _trace!.ReadAsync(_stop.Token).ConfigureAwait(false))
        {
            lock (_segments)
            {
                _segments.Add(segment);
            }

            Interlocked.Exchange(ref _lastArrival, Environment.TickCount64);
        }
    }
}
