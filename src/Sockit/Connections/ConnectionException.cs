using System.Net.Sockets;

namespace Sockit.Connections;

/// <summary>A socket failure named for people: what happened, and to which endpoint.</summary>
public sealed class ConnectionException : IOException
{
    /// <summary>Creates the exception.</summary>
    public ConnectionException(ConnectionErrorKind kind, string endpoint, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Endpoint = endpoint;
    }

    /// <summary>What happened.</summary>
    public ConnectionErrorKind Kind { get; }

    /// <summary>The endpoint involved, as text (<c>host:port</c>).</summary>
    public string Endpoint { get; }

    /// <summary>Names a <see cref="SocketException"/> for <paramref name="endpoint"/>.</summary>
    /// <param name="error">The socket error.</param>
    /// <param name="endpoint">The endpoint, as text.</param>
    /// <param name="action">What was being done: <c>connect to</c>, <c>listen on</c>, <c>send to</c>…</param>
    /// <param name="innerException">The original exception.</param>
    /// <remarks>
    /// A Unix endpoint (text starting <c>unix:</c>, as <see cref="Connection.Describe"/> writes it) is named in
    /// file terms: Linux reports a missing socket file as ENOENT, which .NET calls
    /// <see cref="SocketError.AddressNotAvailable"/> ("address not available on this host" would send people
    /// looking at their network), and EACCES comes from the file's mode bits, not from a privileged port.
    /// </remarks>
    public static ConnectionException From(SocketError error, string endpoint, string action, Exception? innerException = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var unix = endpoint.StartsWith("unix:", StringComparison.Ordinal);
        var listening = action.StartsWith("listen", StringComparison.Ordinal);
        var (kind, what) = error switch
        {
            // .NET reports ENOENT (a Unix socket path with nothing there) as AddressNotAvailable.
            SocketError.AddressNotAvailable when unix && listening => (ConnectionErrorKind.AddressNotAvailable, "the socket file's directory does not exist"),
            SocketError.AddressNotAvailable when unix => (ConnectionErrorKind.Refused, "no such socket file (is the server running?)"),
            SocketError.AccessDenied when unix && listening => (ConnectionErrorKind.AccessDenied, "permission denied (this user may not create the socket file in that directory)"),
            SocketError.AccessDenied when unix => (ConnectionErrorKind.AccessDenied, "permission denied (the socket file's mode, or its directory's, does not let this user in)"),
            SocketError.ConnectionRefused => (ConnectionErrorKind.Refused, "connection refused (nothing is listening there)"),
            SocketError.ConnectionReset => (ConnectionErrorKind.Reset, "connection reset by peer"),
            SocketError.Shutdown or SocketError.ConnectionAborted => (ConnectionErrorKind.BrokenPipe, "broken pipe (the peer is gone)"),
            SocketError.TimedOut => (ConnectionErrorKind.TimedOut, "timed out"),
            SocketError.AddressAlreadyInUse => (ConnectionErrorKind.AddressInUse, "address already in use"),
            SocketError.AddressNotAvailable => (ConnectionErrorKind.AddressNotAvailable, "address not available on this host"),
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => (ConnectionErrorKind.UnknownHost, "unknown host"),
            SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.NetworkDown => (ConnectionErrorKind.Unreachable, "no route to host"),
            SocketError.AccessDenied => (ConnectionErrorKind.AccessDenied, "permission denied"),
            _ => (ConnectionErrorKind.Other, error.ToString()),
        };
        return new ConnectionException(kind, endpoint, $"cannot {action} {endpoint}: {what}", innerException);
    }
}
