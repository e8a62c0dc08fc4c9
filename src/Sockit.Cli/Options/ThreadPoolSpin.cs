namespace Sockit.Cli.Options;

/// <summary>
/// How long .NET's thread pool workers spin (<c>sched_yield</c>) for new work before they sleep, set once per process
/// before the pool's first worker starts (the runtime reads <c>DOTNET_ThreadPool_UnfairSemaphoreSpinLimit</c> then).
/// A value the user already set in the environment wins.
/// </summary>
internal static class ThreadPoolSpin
{
    /// <summary>
    /// Workers sleep at once when there is no work (a futex wait) instead of spinning. For bulk transfers whose
    /// sockets and application hand work to each other through the pool
    /// (<see cref="Sockit.Connections.ConnectionOptions.ResumeOnThreadPool"/>): on two cores shared by a sender and a
    /// receiver, a spinning worker takes the core the other side needs (measured in docs/performance.md, Files).
    /// </summary>
    public static void Disable()
    {
        const string Name = "DOTNET_ThreadPool_UnfairSemaphoreSpinLimit";
        if (Environment.GetEnvironmentVariable(Name) is null)
        {
            Environment.SetEnvironmentVariable(Name, "0");
        }
    }
}
