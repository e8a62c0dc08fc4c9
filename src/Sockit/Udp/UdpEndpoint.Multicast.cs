using System.Net;
using System.Net.Sockets;

namespace Sockit.Udp;

// Broadcast and multicast: socket options on the one endpoint, no extra sockets.
public sealed partial class UdpEndpoint
{
    /// <summary>Whether datagrams may be sent to broadcast addresses (<c>SO_BROADCAST</c>). Without it Linux refuses with EACCES.</summary>
    public bool EnableBroadcast
    {
        get => _socket.EnableBroadcast;
        set => _socket.EnableBroadcast = value;
    }

    /// <summary>
    /// Hops a multicast datagram sent from here may travel (<c>IP_MULTICAST_TTL</c> / <c>IPV6_MULTICAST_HOPS</c>);
    /// the OS default is 1: the local network only.
    /// </summary>
    public int MulticastTimeToLive
    {
        get => (int)_socket.GetSocketOption(MulticastLevel, SocketOptionName.MulticastTimeToLive)!;
        set => _socket.SetSocketOption(MulticastLevel, SocketOptionName.MulticastTimeToLive, value);
    }

    /// <summary>
    /// Whether multicast datagrams sent from here are also delivered to group members on this host
    /// (<c>IP_MULTICAST_LOOP</c>); the OS default is true.
    /// </summary>
    public bool MulticastLoopback
    {
        get => (int)_socket.GetSocketOption(MulticastLevel, SocketOptionName.MulticastLoopback)! != 0;
        set => _socket.SetSocketOption(MulticastLevel, SocketOptionName.MulticastLoopback, value);
    }

    /// <summary>Sends multicast datagrams out of the interface with this index (<c>IP_MULTICAST_IF</c>) instead of the routed one.</summary>
    public void SetMulticastInterface(int interfaceIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(interfaceIndex);
        var value = MulticastLevel == SocketOptionLevel.IP ? IPAddress.HostToNetworkOrder(interfaceIndex) : interfaceIndex;
        _socket.SetSocketOption(MulticastLevel, SocketOptionName.MulticastInterface, value);
    }

    /// <summary>
    /// Joins <paramref name="group"/> on one interface, so datagrams sent to the group (at this endpoint's port)
    /// arrive here. An IPv4 group needs an IPv4 endpoint, an IPv6 group an IPv6 one.
    /// </summary>
    /// <param name="group">A multicast address (224.0.0.0/4 or ff00::/8).</param>
    /// <param name="interfaceIndex">The interface (0: the one the routing table picks for the group).</param>
    /// <exception cref="ArgumentException"><paramref name="group"/> is not a multicast address of this endpoint's family.</exception>
    public void JoinMulticastGroup(IPAddress group, int interfaceIndex = 0) =>
        SetMembership(group, interfaceIndex, SocketOptionName.AddMembership);

    /// <summary>Leaves a group joined with <see cref="JoinMulticastGroup"/> on the same interface.</summary>
    public void LeaveMulticastGroup(IPAddress group, int interfaceIndex = 0) =>
        SetMembership(group, interfaceIndex, SocketOptionName.DropMembership);

    /// <summary>Whether <paramref name="address"/> is a multicast address (224.0.0.0/4 or ff00::/8).</summary>
    public static bool IsMulticast(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily == AddressFamily.InterNetworkV6
            ? address.IsIPv6Multicast
            : (address.GetAddressBytes()[0] & 0xF0) == 0xE0;
    }

    private SocketOptionLevel MulticastLevel =>
        _socket.AddressFamily == AddressFamily.InterNetworkV6 ? SocketOptionLevel.IPv6 : SocketOptionLevel.IP;

    private void SetMembership(IPAddress group, int interfaceIndex, SocketOptionName option)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentOutOfRangeException.ThrowIfNegative(interfaceIndex);
        if (!IsMulticast(group) || group.AddressFamily != _socket.AddressFamily)
        {
            throw new ArgumentException($"{group} is not a multicast group this {(_socket.AddressFamily == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} endpoint can join", nameof(group));
        }

        if (group.AddressFamily == AddressFamily.InterNetwork)
        {
            _socket.SetSocketOption(SocketOptionLevel.IP, option, new MulticastOption(group, interfaceIndex));
        }
        else
        {
            _socket.SetSocketOption(SocketOptionLevel.IPv6, option, new IPv6MulticastOption(group, interfaceIndex));
        }
    }
}
