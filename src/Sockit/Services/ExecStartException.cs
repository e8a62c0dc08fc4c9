namespace Sockit.Services;

/// <summary>The child process of <c>--exec</c> could not be started (no shell at that path, fork failed: out of processes or memory).</summary>
public sealed class ExecStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ExecStartException()
    {
    }

    /// <summary>Creates the exception with a message a person can act on.</summary>
    public ExecStartException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure behind it.</summary>
    public ExecStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
