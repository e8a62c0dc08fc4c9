using System.Net;

namespace Sockit.Tcp;

/// <summary>Where and how a <see cref="TcpServer"/> listens, and its limits. Immutable.</summary>
public sealed record TcpServerOptions
{
    /// <summary>The address and port to bind (default <c>[::]:0</c>, dual-stack, any free port).</summary>
    public IPEndPoint EndPoint { get; init; } = new(IPAddress.IPv6Any, 0);

    /// <summary>The listen backlog: handshakes completed but not yet accepted (default 512).</summary>
    public int Backlog { get; init; } = 512;

    /// <summary>
    /// Open connections at most (default 10,000). A client over the limit is closed at once, counted and
    /// logged; it is never left waiting in the backlog.
    /// </summary>
    public int MaxConnections { get; init; } = 10_000;

    /// <summary>
    /// A connection with no bytes either way for this long is closed (default 5 minutes;
    /// <see cref="Timeout.InfiniteTimeSpan"/> turns it off).
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>On stop, how long connections get to finish in-flight work and send what is queued (default 5 s).</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Buffering and observation for each connection.</summary>
    public TcpConnectionOptions Connection { get; init; } = TcpConnectionOptions.Default;
}
