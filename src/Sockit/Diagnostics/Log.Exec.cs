using Microsoft.Extensions.Logging;
using Sockit.Connections;

namespace Sockit.Diagnostics;

/// <summary>The log messages of <c>--exec</c>: a child process per connection (event ids 40–49).</summary>
internal static partial class Log
{
    [LoggerMessage(40, LogLevel.Information, "{Remote}: started pid {Pid}: {Shell} -c {Command}")]
    public static partial void ExecStarted(ILogger logger, Connection remote, int pid, string shell, string command);

    [LoggerMessage(41, LogLevel.Information, "{Remote}: pid {Pid} exited with status {Status}{Signal}")]
    public static partial void ExecExited(ILogger logger, Connection remote, int pid, int status, string signal);

    [LoggerMessage(42, LogLevel.Warning, "{Remote}: {Reason}; connection reset")]
    public static partial void ExecNotStarted(ILogger logger, Connection remote, string reason);

    [LoggerMessage(43, LogLevel.Information, "{Remote}: stopping pid {Pid} ({Why}): SIGTERM, then SIGKILL after {GraceSeconds} s")]
    public static partial void ExecStopping(ILogger logger, Connection remote, int pid, string why, double graceSeconds);

    [LoggerMessage(44, LogLevel.Warning, "{Remote}: pid {Pid} still running {GraceSeconds} s after SIGTERM: killed (SIGKILL)")]
    public static partial void ExecKilled(ILogger logger, Connection remote, int pid, double graceSeconds);
}
