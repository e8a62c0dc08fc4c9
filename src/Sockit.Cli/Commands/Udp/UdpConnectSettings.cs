using System.Net;

namespace Sockit.Cli.Commands.Udp;

/// <summary>Everything <see cref="UdpConnect"/> needs, already parsed, resolved and validated.</summary>
internal sealed record UdpConnectSettings
{
    public required IPEndPoint Remote { get; init; }

    /// <summary>Where to send from (<c>--source</c>); null for any address and a port the system picks.</summary>
    public IPEndPoint? Local { get; init; }

    /// <summary>How stdin is cut into datagrams (one line each by default) and how replies are shown.</summary>
    public required UdpMessageSettings Messages { get; init; }

    /// <summary>How long to keep printing replies after stdin ends (default 1 s).</summary>
    public TimeSpan Wait { get; init; } = TimeSpan.FromSeconds(1);

    public bool Broadcast { get; init; }

    /// <summary>A multicast group to join (on <see cref="GroupInterfaceIndex"/>) before sending.</summary>
    public IPAddress? Group { get; init; }

    /// <summary>The interface for <see cref="Group"/>; 0 lets the routing table choose.</summary>
    public int GroupInterfaceIndex { get; init; }
}
