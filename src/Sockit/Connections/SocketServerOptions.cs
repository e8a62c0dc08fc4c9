using System.Diagnostics.Metrics;
using System.Net;
using Sockit.Addressing;
using Sockit.Diagnostics;

namespace Sockit.Connections;

/// <summary>Where and how a <see cref="SocketServer"/> listens, and its limits. Immutable.</summary>
public sealed record SocketServerOptions
{
    /// <summary>
    /// Where to listen (default <c>[::]:0</c>, dual-stack, any free port): an <see cref="IPEndPoint"/> for TCP or a
    /// <see cref="System.Net.Sockets.UnixDomainSocketEndPoint"/> (a path, or a leading NUL for Linux's abstract
    /// namespace). The address rules (<see cref="Allow"/>, <see cref="Deny"/>, <see cref="MaxConnectionsPerAddress"/>)
    /// apply to IP peers only.
    /// </summary>
    public EndPoint EndPoint { get; init; } = new IPEndPoint(IPAddress.IPv6Any, 0);

    /// <summary>
    /// TLS on every accepted connection (null, the default: plaintext). The handshake runs before the handler is
    /// called and must finish within <see cref="TlsServerOptions.HandshakeTimeout"/>; a client that fails it is
    /// closed and counted in <see cref="SocketServer.HandshakeFailures"/>.
    /// </summary>
    public TlsServerOptions? Tls { get; init; }

    /// <summary>The listen backlog: handshakes completed but not yet accepted (default 512).</summary>
    public int Backlog { get; init; } = 512;

    /// <summary>
    /// Open connections at most. Default (null): 10,000. Either way, never more than the file descriptor limit
    /// allows (<see cref="FileDescriptorLimit.ConnectionsAllowed"/>, read when the server starts; a larger value is
    /// lowered with a warning; see <see cref="SocketServer.MaxConnections"/>). A client over the limit is reset at once, counted and logged; it is
    /// never left waiting in the backlog.
    /// </summary>
    public int? MaxConnections { get; init; }

    /// <summary>Open connections at most from one IP address (default: no limit beyond <see cref="MaxConnections"/>).</summary>
    public int MaxConnectionsPerAddress { get; init; } = int.MaxValue;

    /// <summary>
    /// Only clients inside one of these subnets are served (default empty: everyone). Others are reset at
    /// accept and counted in <see cref="SocketServer.RefusedCount"/>.
    /// </summary>
    public IReadOnlyList<Subnet> Allow { get; init; } = [];

    /// <summary>
    /// Clients inside one of these subnets are reset at accept and counted, even when allowed (default empty). An IPv4
    /// client matches both its IPv4 form and its IPv4-mapped IPv6 form (<c>::ffff:a.b.c.d</c>), here and in <see cref="Allow"/>.
    /// </summary>
    public IReadOnlyList<Subnet> Deny { get; init; } = [];

    /// <summary>
    /// A connection with no bytes either way for this long is closed (default 5 minutes;
    /// <see cref="Timeout.InfiniteTimeSpan"/> turns it off). With nothing queued it gets FIN; with data stuck
    /// in its queue, RST.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A frame that has started (the handler holds bytes it could not consume yet) must finish within this long,
    /// or the connection is reset (default 60 s; <see cref="Timeout.InfiniteTimeSpan"/> turns it off). This is
    /// what stops a slowloris that sends one byte a second to stay under the idle timeout.
    /// </summary>
    public TimeSpan FrameTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>On stop, how long connections get to finish in-flight work and send what is queued (default 5 s).</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The bytes all connections together may hold in their buffers (default <see cref="MemoryBudget.DefaultLimit"/>).
    /// Past it every receive loop pauses and the connections holding the most that have stopped draining are
    /// reset (see <see cref="MemoryBudget"/>).
    /// </summary>
    public long MaxBufferedBytes { get; init; } = MemoryBudget.DefaultLimit;

    /// <summary>Buffering and observation for each connection (its <see cref="ConnectionOptions.MemoryBudget"/> is the server's).</summary>
    public ConnectionOptions Connection { get; init; } = ConnectionOptions.Default;

    /// <summary>
    /// Where the server and its connections (and the handlers' frame counts) record the <c>Sockit</c> metrics: the
    /// meter this factory creates (a host's dependency-injected <see cref="IMeterFactory"/>, or a test's own). Default
    /// null: the process-wide meter named <see cref="SockitMetrics.MeterName"/>. Client connections made by
    /// <see cref="SocketConnector"/> always record on the process-wide meter.
    /// </summary>
    public IMeterFactory? MeterFactory { get; init; }

    /// <summary>
    /// The clock of the heartbeat that enforces <see cref="IdleTimeout"/> and <see cref="FrameTimeout"/>, and of the
    /// connections' activity timestamps it compares against (<see cref="Connection.ConnectedAt"/> stays wall-clock time). Default null:
    /// <see cref="TimeProvider.System"/>. A test passes a <c>FakeTimeProvider</c> and advances it to make a connection idle
    /// without waiting.
    /// </summary>
    public TimeProvider? TimeProvider { get; init; }
}
