namespace Sockit.Services;

/// <summary>
/// What <see cref="ExecBridge"/> and <see cref="ExecService"/> run per connection: <c>SHELL -c COMMAND</c>, the way
/// ncat's <c>-c</c>/<c>--sh-exec</c> and socat's <c>EXEC:</c>/<c>SYSTEM:</c> do.
/// </summary>
public sealed record ExecOptions
{
    /// <summary>The command line given to the shell (<c>cat</c>, <c>wc -c</c>, <c>exec ./handler --json</c>). Required, not empty.</summary>
    public required string Command { get; init; }

    /// <summary>The shell that runs <see cref="Command"/> with <c>-c</c>. Default <c>/bin/sh</c>.</summary>
    public string Shell { get; init; } = "/bin/sh";

    /// <summary>
    /// How long a child may take to exit after SIGTERM before it (and its process group) is killed with SIGKILL.
    /// Default 3 s. The server's drain deadline does not cut it short: a stopping server waits for its children.
    /// </summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Where the child's stderr goes, one line at a time, each prefixed with the peer (<c>127.0.0.1:5555: line</c>);
    /// lines longer than 8 KiB are cut into 8 KiB pieces. Default (null): <see cref="Console.Error"/>. Must be safe
    /// to call from several threads at once (<see cref="TextWriter.Synchronized"/>), as children of different
    /// connections write concurrently.
    /// </summary>
    public TextWriter? StandardError { get; init; }
}
