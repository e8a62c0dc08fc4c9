namespace Sockit.Cli.Options;

/// <summary>
/// How .NET's socket engine runs completions, set once per process before the first socket exists (the runtime
/// reads these variables once). A value the user already set in the environment always wins.
/// </summary>
internal static class SocketEngine
{
    /// <summary>
    /// Runs socket continuations inline on the epoll threads instead of hopping to the thread pool. With the
    /// connection pipes' inline schedulers, a receive, its handler and the send then run on one thread with no
    /// wake-ups in between (measured in docs/performance.md: CPU per message halves). Only for code that never
    /// blocks: not for modes that write to the console per message.
    /// </summary>
    /// <param name="epollThreads">
    /// How many epoll threads; null keeps the runtime's default (one per core). Fewer threads, each doing more,
    /// beat many threads that wake each other (measured: 1000 clients 0.46 → 0.93 of the C server on 2 cores).
    /// </param>
    public static void UseInlineCompletions(int? epollThreads = null)
    {
        SetIfUnset("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        if (epollThreads is { } n)
        {
            SetIfUnset("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT", n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static void SetIfUnset(string name, string value)
    {
        if (Environment.GetEnvironmentVariable(name) is null)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
