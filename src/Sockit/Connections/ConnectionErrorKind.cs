namespace Sockit.Connections;

/// <summary>The failures a person can act on, each with its own advice.</summary>
public enum ConnectionErrorKind
{
    /// <summary>Nothing listens there (the peer answered with RST to the SYN).</summary>
    Refused,

    /// <summary>The connection was reset by the peer.</summary>
    Reset,

    /// <summary>A send found the peer gone (EPIPE).</summary>
    BrokenPipe,

    /// <summary>No answer in time.</summary>
    TimedOut,

    /// <summary>The local address and port are taken.</summary>
    AddressInUse,

    /// <summary>The address cannot be bound here.</summary>
    AddressNotAvailable,

    /// <summary>The host name does not resolve.</summary>
    UnknownHost,

    /// <summary>No route to the host or network.</summary>
    Unreachable,

    /// <summary>Permission denied (e.g. a port below 1024 without privileges).</summary>
    AccessDenied,

    /// <summary>
    /// The TLS handshake failed or did not finish in time: the peer's certificate was rejected (the message names
    /// why: untrusted root, name mismatch, expired, pin mismatch), no protocol or cipher was shared, or the peer
    /// spoke something other than TLS.
    /// </summary>
    TlsHandshake,

    /// <summary>Another socket error.</summary>
    Other,
}
