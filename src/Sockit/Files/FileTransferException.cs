namespace Sockit.Files;

/// <summary>
/// The peer broke the file transfer protocol (a wrong greeting, a malformed or unexpected message, a stream that
/// ended inside an entry) or is not a file transfer peer at all. The message is one line for people.
/// </summary>
public sealed class FileTransferException : IOException
{
    /// <summary>Creates the exception with a one-line <paramref name="message"/>.</summary>
    public FileTransferException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line <paramref name="message"/> and its cause.</summary>
    public FileTransferException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public FileTransferException()
        : base("file transfer protocol error")
    {
    }
}
