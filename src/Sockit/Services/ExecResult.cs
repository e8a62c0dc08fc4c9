namespace Sockit.Services;

/// <summary>How a child run by <see cref="ExecBridge"/> ended.</summary>
/// <param name="ExitStatus">
/// The child's exit status (0–255), or 128 + the signal number when a signal ended it (143 after SIGTERM, 137 after
/// SIGKILL), as a shell reports it in <c>$?</c>.
/// </param>
/// <param name="StoppedBecause">
/// Why the bridge stopped the child with SIGTERM (the peer reset, the connection closed, the server is stopping), or
/// null when the child ended on its own.
/// </param>
public readonly record struct ExecResult(int ExitStatus, string? StoppedBecause)
{
    /// <summary>True when the bridge stopped the child rather than the child ending on its own.</summary>
    public bool WasStopped => StoppedBecause is not null;
}
