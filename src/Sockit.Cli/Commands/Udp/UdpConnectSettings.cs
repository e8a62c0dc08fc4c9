using System.Net;
using Sockit.Framing;

namespace Sockit.Cli.Commands.Udp;

/// <summary>Everything <see cref="UdpConnect"/> needs, already parsed, resolved and validated.</summary>
internal sealed record UdpConnectSettings
{
    public required IPEndPoint Remote { get; init; }

    /// <summary>How stdin is cut into datagrams: one line (the default) or one frame per datagram.</summary>
    public FrameSpec Framing { get; init; } = FrameSpec.Line;

    public FramingOptions FramingOptions { get; init; } = FramingOptions.Default;

    public int MaxDatagramSize { get; init; } = Sockit.Udp.UdpEndpointOptions.LargestDatagramSize;

    /// <summary>How long to keep printing replies after stdin ends (default 1 s).</summary>
    public TimeSpan Wait { get; init; } = TimeSpan.FromSeconds(1);

    public bool Broadcast { get; init; }

    /// <summary>A multicast group to join (on <see cref="GroupInterfaceIndex"/>) before sending.</summary>
    public IPAddress? Group { get; init; }

    /// <summary>The interface for <see cref="Group"/>; 0 lets the routing table choose.</summary>
    public int GroupInterfaceIndex { get; init; }

    public bool Hex { get; init; }

    public bool Verbose { get; init; }
}
