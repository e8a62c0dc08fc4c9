using System.Net;
using System.Net.Sockets;
using System.Text;
using Sockit.Udp;
using Xunit.Abstractions;

namespace Sockit.Tests.Udp;

public sealed class UdpBroadcastMulticastTests(ITestOutputHelper output)
{
    // 127.255.255.255 is the broadcast address of 127.0.0.0/8: it never leaves the loopback interface.
    private static readonly IPAddress LoopbackBroadcast = IPAddress.Parse("127.255.255.255");

    [SkippableFact]
    public async Task BroadcastNeedsSoBroadcastAndThenArrives()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "loopback broadcast to 127.255.255.255 is Linux behaviour");
        using var receiver = UdpEndpoint.Bind(new UdpEndpointOptions { LocalEndPoint = new IPEndPoint(IPAddress.Any, 0) });
        using var sender = UdpTestKit.BindLoopback();
        var to = sender.ToSocketAddress(new IPEndPoint(LoopbackBroadcast, receiver.LocalEndPoint.Port));

        var refused = await Assert.ThrowsAsync<SocketException>(async () => await sender.SendAsync("no flag"u8.ToArray(), to));
        output.WriteLine($"without SO_BROADCAST: {refused.SocketErrorCode} ({refused.Message})");
        sender.EnableBroadcast = true;
        await sender.SendAsync("to everyone"u8.ToArray(), to);
        var (result, payload, from) = await UdpTestKit.ReceiveAsync(receiver);

        Assert.Equal(SocketError.AccessDenied, refused.SocketErrorCode);
        Assert.Equal(DatagramStatus.Ok, result.Status);
        Assert.Equal("to everyone", Encoding.UTF8.GetString(payload));
        Assert.Equal(sender.LocalEndPoint, from);
    }

    [SkippableFact]
    public async Task MulticastOnTheLoopbackInterfaceArrivesWhileJoinedOnly()
    {
        var group = IPAddress.Parse("239.255.77." + Random.Shared.Next(1, 250));
        using var receiver = UdpEndpoint.Bind(new UdpEndpointOptions { LocalEndPoint = new IPEndPoint(IPAddress.Any, 0), ReuseAddress = true });
        using var sender = UdpTestKit.BindLoopback();
        try
        {
            receiver.JoinMulticastGroup(group, UdpTestKit.LoopbackInterfaceIndex);
            sender.SetMulticastInterface(UdpTestKit.LoopbackInterfaceIndex);
        }
        catch (SocketException ex)
        {
            output.WriteLine($"multicast on loopback refused by the kernel: {ex.SocketErrorCode} {ex.Message}");
            Skip.If(true, $"the kernel refuses multicast on the loopback interface: {ex.Message}");
        }

        sender.MulticastLoopback = true;
        sender.MulticastTimeToLive = 1;
        var to = sender.ToSocketAddress(new IPEndPoint(group, receiver.LocalEndPoint.Port));

        await sender.SendAsync("to the group"u8.ToArray(), to);
        var (result, payload, from) = await UdpTestKit.ReceiveAsync(receiver);
        receiver.LeaveMulticastGroup(group, UdpTestKit.LoopbackInterfaceIndex);
        await sender.SendAsync("after leaving"u8.ToArray(), to);

        Assert.Equal(DatagramStatus.Ok, result.Status);
        Assert.Equal("to the group", Encoding.UTF8.GetString(payload));
        Assert.Equal(sender.LocalEndPoint, from);
        Assert.True(sender.MulticastLoopback);
        Assert.Equal(1, sender.MulticastTimeToLive);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => UdpTestKit.ReceiveAsync(receiver, TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public void JoiningANonMulticastAddressIsRefusedWithTheAddress()
    {
        using var endpoint = UdpTestKit.BindLoopback();

        var ex = Assert.Throws<ArgumentException>(() => endpoint.JoinMulticastGroup(IPAddress.Parse("10.0.0.1")));

        Assert.Contains("10.0.0.1", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("224.0.0.1", true)]
    [InlineData("239.255.255.255", true)]
    [InlineData("223.255.255.255", false)]
    [InlineData("240.0.0.1", false)]
    [InlineData("ff02::1", true)]
    [InlineData("fe80::1", false)]
    public void MulticastAddressesAreRecognised(string address, bool multicast) =>
        Assert.Equal(multicast, UdpEndpoint.IsMulticast(IPAddress.Parse(address)));
}
