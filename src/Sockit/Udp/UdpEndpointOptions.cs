using System.Net;

namespace Sockit.Udp;

/// <summary>How a <see cref="UdpEndpoint"/> is bound. Immutable; safe to share.</summary>
public sealed record UdpEndpointOptions
{
    /// <summary>65,527 bytes: the largest UDP payload IPv6 can carry without jumbograms (IPv4's is 65,507).</summary>
    public const int LargestDatagramSize = 65_527;

    private readonly int _maxDatagramSize = LargestDatagramSize;

    /// <summary>The default options: <c>[::]:0</c> (dual-stack, any free port), 65,527-byte datagrams, no broadcast.</summary>
    public static UdpEndpointOptions Default { get; } = new();

    /// <summary>
    /// The local address and port (default <c>[::]:0</c>). <see cref="IPAddress.IPv6Any"/> binds a dual-stack
    /// socket that also receives IPv4 datagrams; port 0 lets the OS pick a free port
    /// (read it back from <see cref="UdpEndpoint.LocalEndPoint"/>).
    /// </summary>
    public IPEndPoint LocalEndPoint { get; init; } = new(IPAddress.IPv6Any, 0);

    /// <summary>
    /// The largest datagram accepted, in bytes (default and maximum 65,527). A larger datagram that arrives is
    /// reported as <see cref="DatagramStatus.Truncated"/>; a larger one to send is refused before it is sent.
    /// </summary>
    public int MaxDatagramSize
    {
        get => _maxDatagramSize;
        init => _maxDatagramSize = value is >= 1 and <= LargestDatagramSize
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxDatagramSize), value, $"the maximum datagram size must be from 1 to {LargestDatagramSize} bytes");
    }

    /// <summary>Whether datagrams may be sent to broadcast addresses (<c>SO_BROADCAST</c>; default false).</summary>
    public bool EnableBroadcast { get; init; }

    /// <summary>
    /// Whether other sockets may bind the same port (<c>SO_REUSEADDR</c>; default false). Several multicast
    /// receivers on one host need it.
    /// </summary>
    public bool ReuseAddress { get; init; }

    /// <summary>The kernel receive buffer in bytes (<c>SO_RCVBUF</c>); <see langword="null"/> (the default) keeps the OS default.</summary>
    public int? SocketReceiveBufferSize { get; init; }

    /// <summary>Where the endpoint records its datagram and byte counts: the <c>Sockit</c> meter this factory creates.
    /// Default null: the process-wide meter named <see cref="Diagnostics.SockitMetrics.MeterName"/>.</summary>
    public System.Diagnostics.Metrics.IMeterFactory? MeterFactory { get; init; }
}
