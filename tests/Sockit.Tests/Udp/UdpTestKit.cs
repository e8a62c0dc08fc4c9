using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Sockit.Udp;

namespace Sockit.Tests.Udp;

/// <summary>Loopback endpoints and bounded waits shared by the UDP tests.</summary>
internal static class UdpTestKit
{
    /// <summary>How long any single wait may take on a loaded machine before the test fails.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public static UdpEndpoint BindLoopback(int maxDatagramSize = UdpEndpointOptions.LargestDatagramSize, bool ipv6 = false) =>
        UdpEndpoint.Bind(new UdpEndpointOptions
        {
            LocalEndPoint = new IPEndPoint(ipv6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, 0),
            MaxDatagramSize = maxDatagramSize,
        });

    /// <summary>Receives one datagram or fails after <paramref name="timeout"/> (default <see cref="Timeout"/>).</summary>
    public static async Task<(DatagramResult Result, byte[] Payload, IPEndPoint Sender)> ReceiveAsync(UdpEndpoint endpoint, TimeSpan? timeout = null)
    {
        var buffer = new byte[endpoint.ReceiveBufferSize];
        var sender = endpoint.CreateSocketAddress();
        using var cts = new CancellationTokenSource(timeout ?? Timeout);
        var result = await endpoint.ReceiveAsync(buffer, sender, cts.Token);
        return (result, buffer[..result.Length], UdpEndpoint.ToIPEndPoint(sender));
    }

    /// <summary>A loopback port nothing listens on (bound, read, released).</summary>
    public static int DeadPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    public static int LoopbackInterfaceIndex => NetworkInterface.LoopbackInterfaceIndex;
}
