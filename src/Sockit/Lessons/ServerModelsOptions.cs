namespace Sockit.Lessons;

/// <summary>The load for <see cref="ServerModelsLesson"/>: the same for every model.</summary>
public sealed record ServerModelsOptions
{
    /// <summary>Clients connecting at once. Default 8; 1 to 64.</summary>
    public int Clients { get; init; } = 8;

    /// <summary>Requests each client sends, one after another. Default 5; 1 to 1,000.</summary>
    public int Requests { get; init; } = 5;

    /// <summary>The server's work per request (a blocking wait, like a slow disk or database). Default 10 ms; 0 to 1 s.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// The program and arguments that start one pre-forked worker (a process that calls
    /// <see cref="ServerModelsLesson.RunWorkerAsync"/>); the port and the delay in milliseconds are appended.
    /// Null leaves the <c>prefork</c> model out. .NET cannot fork(), so a worker is a fresh process.
    /// </summary>
    public IReadOnlyList<string>? WorkerCommand { get; init; }

    /// <summary>Worker processes for <c>prefork</c>. Default: one per core.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Clients, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Clients, 64);
        ArgumentOutOfRangeException.ThrowIfLessThan(Requests, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Requests, 1000);
        ArgumentOutOfRangeException.ThrowIfLessThan(Delay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Delay, TimeSpan.FromSeconds(1));
        ArgumentOutOfRangeException.ThrowIfLessThan(Workers, 1);
    }
}
