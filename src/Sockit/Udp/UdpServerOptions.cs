namespace Sockit.Udp;

/// <summary>How a <see cref="UdpServer"/> remembers its peers.</summary>
public sealed record UdpServerOptions
{
    /// <summary>The most peers remembered (default <see cref="UdpPeerTable.DefaultCapacity"/>); when full, the one quiet longest is forgotten.</summary>
    public int MaxPeers { get; init; } = UdpPeerTable.DefaultCapacity;

    /// <summary>Forget a peer quiet this long; <see cref="Timeout.InfiniteTimeSpan"/> (the default) to remember for ever.</summary>
    public TimeSpan IdleTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>The clock for the peer table; <see cref="TimeProvider.System"/> when null.</summary>
    public TimeProvider? TimeProvider { get; init; }
}
