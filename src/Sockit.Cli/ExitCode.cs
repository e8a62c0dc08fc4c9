namespace Sockit.Cli;

/// <summary>
/// The only exit codes <c>sockit</c> uses. One exception, on purpose: <c>connect --exec COMMAND</c> exits with the
/// child's status when the connection itself went well, as ncat does (its process becomes the command).
/// </summary>
internal enum ExitCode
{
    /// <summary>The command did what was asked.</summary>
    Success = 0,

    /// <summary>A network or runtime failure: refused, reset, timed out, unknown host, I/O error.</summary>
    Failure = 1,

    /// <summary>Bad usage or bad input: an unknown option, a malformed address, port or frame spec.</summary>
    Usage = 2,
}
