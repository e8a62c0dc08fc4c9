using Microsoft.Extensions.Logging;

namespace Sockit.Cli.Output;

/// <summary>
/// The <c>-v</c> narration: library log events as <c>sockit: HH:mm:ss.fff message</c> lines on stderr.
/// Without <c>-v</c> only events at <paramref name="quietLevel"/> and above are shown.
/// </summary>
internal sealed class StderrLogger(bool verbose, LogLevel quietLevel = LogLevel.Warning) : ILogger
{
    private static readonly Lock Gate = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= (verbose ? LogLevel.Information : quietLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var message = formatter(state, exception);
        lock (Gate)
        {
            // Stamped under the lock: two threads logging at once printed "received FIN" at .739 above "sent FIN" at .738.
            Console.Error.WriteLine($"sockit: {DateTime.Now:HH:mm:ss.fff} {message}");
        }
    }
}
