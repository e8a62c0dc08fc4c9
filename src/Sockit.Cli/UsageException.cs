namespace Sockit.Cli;

/// <summary>Bad usage or bad input found by a command; reported as one line with exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
