namespace Sockit.Addressing;

/// <summary>How a TCP connect attempt ended.</summary>
public enum ProbeOutcome
{
    /// <summary>The three-way handshake completed: something listens there.</summary>
    Open,

    /// <summary>The peer answered with a reset (ECONNREFUSED): reachable, nothing listening.</summary>
    Closed,

    /// <summary>No answer within the timeout: a firewall dropping packets, or the host is down.</summary>
    TimedOut,

    /// <summary>Any other failure: no route, host unreachable, network down.</summary>
    Error,
}
