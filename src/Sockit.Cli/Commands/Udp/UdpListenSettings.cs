using System.Net;
using Sockit.Framing;

namespace Sockit.Cli.Commands.Udp;

/// <summary>Everything <see cref="UdpListen"/> needs, already parsed and validated.</summary>
internal sealed record UdpListenSettings
{
    public required IPEndPoint Local { get; init; }

    public UdpListenMode Mode { get; init; } = UdpListenMode.Stdio;

    /// <summary>Framing inside each datagram; raw (the default) keeps one datagram = one message.</summary>
    public FrameSpec Framing { get; init; } = FrameSpec.Raw;

    public FramingOptions FramingOptions { get; init; } = FramingOptions.Default;

    public int MaxDatagramSize { get; init; } = Sockit.Udp.UdpEndpointOptions.LargestDatagramSize;

    public bool Hex { get; init; }

    public bool ToAll { get; init; }

    public bool Verbose { get; init; }

    /// <summary>Forget a peer quiet this long; <see cref="Timeout.InfiniteTimeSpan"/> to remember for ever.</summary>
    public TimeSpan IdleTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    public int MaxPeers { get; init; } = Sockit.Udp.UdpPeerTable.DefaultCapacity;
}
