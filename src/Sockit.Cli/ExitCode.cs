namespace Sockit.Cli;

/// <summary>The only exit codes <c>sockit</c> uses.</summary>
internal enum ExitCode
{
    /// <summary>The command did what was asked.</summary>
    Success = 0,

    /// <summary>A network or runtime failure: refused, reset, timed out, unknown host, I/O error.</summary>
    Failure = 1,

    /// <summary>Bad usage or bad input: an unknown option, a malformed address, port or frame spec.</summary>
    Usage = 2,
}
