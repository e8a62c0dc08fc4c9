using System.Net.Sockets;

namespace Sockit.Addressing;

/// <summary>A host name could not be turned into addresses (or an address into a name). A network failure,
/// not bad input: the name may be perfectly well formed and simply unknown to the resolver.</summary>
public sealed class AddressResolutionException : Exception
{
    /// <summary>Creates the exception for <paramref name="host"/> with the resolver's <paramref name="reason"/>.</summary>
    public AddressResolutionException(string host, string reason, SocketError error = SocketError.HostNotFound, Exception? innerException = null)
        : base($"cannot resolve '{host}': {reason}", innerException)
    {
        Host = host;
        Reason = reason;
        Error = error;
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public AddressResolutionException()
        : this("the name could not be resolved")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and no host.</summary>
    public AddressResolutionException(string message)
        : base(message)
    {
        Host = "";
        Reason = message;
        Error = SocketError.SocketError;
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public AddressResolutionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Host = "";
        Reason = message;
        Error = (innerException as SocketException)?.SocketErrorCode ?? SocketError.SocketError;
    }

    /// <summary>The name (or address text) that was looked up.</summary>
    public string Host { get; }

    /// <summary>What the resolver said, e.g. <c>Name or service not known</c>.</summary>
    public string Reason { get; }

    /// <summary>The resolver's error class (<see cref="SocketError.HostNotFound"/>, <see cref="SocketError.TryAgain"/>…).</summary>
    public SocketError Error { get; }
}
