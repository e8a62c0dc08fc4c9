using System.Net;

namespace Sockit.Udp;

/// <summary>How a <see cref="UdpClientSession"/> opens its socket. Immutable; safe to share.</summary>
public sealed record UdpClientOptions
{
    /// <summary>Where datagrams go: a server, a broadcast address (with <see cref="EnableBroadcast"/>) or a multicast group.</summary>
    public required IPEndPoint Remote { get; init; }

    /// <summary>
    /// The address and port to send from (<c>bind(2)</c> before the first datagram, as nc's <c>-s</c>/<c>-p</c>);
    /// <see langword="null"/> (the default) binds any address of <see cref="Remote"/>'s family and a port the system
    /// picks. Must be of <see cref="Remote"/>'s family. Not used with <see cref="Group"/>, which binds the group's port.
    /// </summary>
    public IPEndPoint? LocalEndPoint { get; init; }

    /// <summary>The largest datagram sent or received, in bytes (default and maximum <see cref="UdpEndpointOptions.LargestDatagramSize"/>).</summary>
    public int MaxDatagramSize { get; init; } = UdpEndpointOptions.LargestDatagramSize;

    /// <summary>The kernel receive buffer in bytes (<c>SO_RCVBUF</c>); <see langword="null"/> (the default) keeps the OS default.</summary>
    public int? SocketReceiveBufferSize { get; init; }

    /// <summary>Allow sending to a broadcast address (<c>SO_BROADCAST</c>; default false). Replies may then come from anyone.</summary>
    public bool EnableBroadcast { get; init; }

    /// <summary>
    /// A multicast group to join before sending (default none): the socket then binds the group's port
    /// (<see cref="Remote"/>'s), shared with other members on this host, and hears its own datagrams.
    /// </summary>
    public IPAddress? Group { get; init; }

    /// <summary>The interface for <see cref="Group"/>; 0 (the default) lets the routing table choose.</summary>
    public int GroupInterfaceIndex { get; init; }
}
