namespace Sockit.Load;

/// <summary>The load could not start: the host did not resolve, or a connection was refused or timed out.</summary>
public sealed class EchoLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EchoLoadException()
    {
    }

    /// <summary>Creates the exception with a message naming the endpoint and the reason.</summary>
    public EchoLoadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying failure.</summary>
    public EchoLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
