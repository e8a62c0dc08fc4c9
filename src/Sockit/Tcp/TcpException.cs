using System.Net.Sockets;

namespace Sockit.Tcp;

/// <summary>A socket failure named for people: what happened, and to which endpoint.</summary>
public sealed class TcpException : IOException
{
    /// <summary>Creates the exception.</summary>
    public TcpException(TcpErrorKind kind, string endpoint, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Endpoint = endpoint;
    }

    /// <summary>What happened.</summary>
    public TcpErrorKind Kind { get; }

    /// <summary>The endpoint involved, as text (<c>host:port</c>).</summary>
    public string Endpoint { get; }

    /// <summary>Names a <see cref="SocketException"/> for <paramref name="endpoint"/>.</summary>
    /// <param name="error">The socket error.</param>
    /// <param name="endpoint">The endpoint, as text.</param>
    /// <param name="action">What was being done: <c>connect to</c>, <c>listen on</c>, <c>send to</c>…</param>
    /// <param name="innerException">The original exception.</param>
    public static TcpException From(SocketError error, string endpoint, string action, Exception? innerException = null)
    {
        var (kind, what) = error switch
        {
            SocketError.ConnectionRefused => (TcpErrorKind.Refused, "connection refused (nothing is listening there)"),
            SocketError.ConnectionReset => (TcpErrorKind.Reset, "connection reset by peer"),
            SocketError.Shutdown or SocketError.ConnectionAborted => (TcpErrorKind.BrokenPipe, "broken pipe (the peer is gone)"),
            SocketError.TimedOut => (TcpErrorKind.TimedOut, "timed out"),
            SocketError.AddressAlreadyInUse => (TcpErrorKind.AddressInUse, "address already in use"),
            SocketError.AddressNotAvailable => (TcpErrorKind.AddressNotAvailable, "address not available on this host"),
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => (TcpErrorKind.UnknownHost, "unknown host"),
            SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.NetworkDown => (TcpErrorKind.Unreachable, "no route to host"),
            SocketError.AccessDenied => (TcpErrorKind.AccessDenied, "permission denied"),
            _ => (TcpErrorKind.Other, error.ToString()),
        };
        return new TcpException(kind, endpoint, $"cannot {action} {endpoint}: {what}", innerException);
    }
}
