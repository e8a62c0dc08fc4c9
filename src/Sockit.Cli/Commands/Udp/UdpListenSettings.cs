using System.Net;

namespace Sockit.Cli.Commands.Udp;

/// <summary>Everything <see cref="UdpListen"/> needs, already parsed and validated.</summary>
internal sealed record UdpListenSettings
{
    public required IPEndPoint Local { get; init; }

    public required UdpMessageSettings Messages { get; init; }

    public ListenMode Mode { get; init; } = ListenMode.Stdio;

    /// <summary>stdio: send each stdin line to every peer remembered, not only the last.</summary>
    public bool ToAll { get; init; }

    /// <summary>Forget a peer quiet this long; <see cref="Timeout.InfiniteTimeSpan"/> to remember for ever.</summary>
    public TimeSpan IdleTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    public int MaxPeers { get; init; } = Sockit.Udp.UdpPeerTable.DefaultCapacity;
}
