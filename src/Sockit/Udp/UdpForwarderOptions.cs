using System.Net;

namespace Sockit.Udp;

/// <summary>How a <see cref="UdpForwarder"/> relays: where to, how many sessions, how long a quiet one lives. Immutable; safe to share.</summary>
public sealed record UdpForwarderOptions
{
    /// <summary>1,024: the default <see cref="MaxSessions"/>.</summary>
    public const int DefaultMaxSessions = 1024;

    /// <summary>60 seconds: the default <see cref="IdleTimeout"/>; a client that went away frees its session and socket within a minute.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(60);

    private readonly int _maxSessions = DefaultMaxSessions;
    private readonly TimeSpan _idleTimeout = DefaultIdleTimeout;
    private readonly int _maxDatagramSize = UdpEndpointOptions.LargestDatagramSize;

    /// <summary>Where every client's datagrams go (a resolved address and port).</summary>
    public required IPEndPoint Target { get; init; }

    /// <summary>
    /// The most sessions open at once (default 1,024). Each holds a socket (a file descriptor) and a receive buffer of
    /// <see cref="MaxDatagramSize"/> + 1 bytes. When all are in use and none is idle, a new client's datagrams are
    /// dropped and counted (<see cref="UdpForwardDrops.NoSession"/>), never an active session cut.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int MaxSessions
    {
        get => _maxSessions;
        init => _maxSessions = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxSessions), value, "at least one session");
    }

    /// <summary>
    /// A session with no datagram either way for this long is closed (default 60 s): UDP has no FIN, so silence is
    /// the only end a relay can see. The client's next datagram opens a new session, from a new local port.
    /// Checked every quarter of it (10 ms to 1 s). <see cref="Timeout.InfiniteTimeSpan"/>: never.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Zero or negative, other than infinite.</exception>
    public TimeSpan IdleTimeout
    {
        get => _idleTimeout;
        init => _idleTimeout = value > TimeSpan.Zero || value == Timeout.InfiniteTimeSpan
            ? value
            : throw new ArgumentOutOfRangeException(nameof(IdleTimeout), value, "the idle timeout must be positive, or infinite");
    }

    /// <summary>
    /// The largest datagram relayed either way, in bytes (default and maximum <see cref="UdpEndpointOptions.LargestDatagramSize"/>);
    /// a larger one is dropped and counted (<see cref="UdpForwardDrops.TooLarge"/>), never relayed cut.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside 1 to 65,527.</exception>
    public int MaxDatagramSize
    {
        get => _maxDatagramSize;
        init => _maxDatagramSize = value is >= 1 and <= UdpEndpointOptions.LargestDatagramSize
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxDatagramSize), value, $"the maximum datagram size must be from 1 to {UdpEndpointOptions.LargestDatagramSize} bytes");
    }

    /// <summary>The kernel receive buffer of each session socket in bytes (<c>SO_RCVBUF</c>); <see langword="null"/> (the default) keeps the OS default.</summary>
    public int? SessionReceiveBufferSize { get; init; }
}
