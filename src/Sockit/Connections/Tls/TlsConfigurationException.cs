namespace Sockit.Connections;

/// <summary>
/// A certificate, key or authority file could not be used. The message is one line that names the file and the
/// reason, e.g. <c>cannot load certificate 'server.pem': the private key does not match the certificate</c>.
/// Bad configuration, not a network failure: retrying will not help until the file is fixed.
/// </summary>
public sealed class TlsConfigurationException : Exception
{
    /// <summary>Creates the exception for <paramref name="file"/> with <paramref name="reason"/>.</summary>
    /// <param name="file">The file that could not be used, as the user gave it.</param>
    /// <param name="reason">Why, in a few words (no trailing period).</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public TlsConfigurationException(string file, string reason, Exception? innerException)
        : base($"cannot load certificate '{file}': {reason}", innerException)
    {
        File = file;
        Reason = reason;
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public TlsConfigurationException()
        : this("the TLS configuration is not usable")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and no file.</summary>
    public TlsConfigurationException(string message)
        : base(message)
    {
        File = "";
        Reason = message;
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public TlsConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = "";
        Reason = message;
    }

    /// <summary>The file that could not be used (empty when none was named).</summary>
    public string File { get; }

    /// <summary>Why it could not be used, e.g. <c>the file does not exist</c>.</summary>
    public string Reason { get; }
}
