using System.Net;
using System.Net.Sockets;
using System.Text;
using Sockit.Udp;

namespace Sockit.Tests.Udp;

public sealed class UdpEndpointTests
{
    [Fact]
    public async Task PortZeroBindsARealPort()
    {
        using var endpoint = UdpTestKit.BindLoopback();

        Assert.NotEqual(0, endpoint.LocalEndPoint.Port);
        Assert.Equal(IPAddress.Loopback, endpoint.LocalEndPoint.Address);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task DefaultEndpointIsDualStackAndReceivesIPv4AndIPv6()
    {
        using var server = UdpEndpoint.Bind();
        using var v4 = UdpTestKit.BindLoopback();
        using var v6 = UdpTestKit.BindLoopback(ipv6: true);
        Assert.True(server.IsDualMode);

        await v4.SendAsync("four"u8.ToArray(), v4.ToSocketAddress(new IPEndPoint(IPAddress.Loopback, server.LocalEndPoint.Port)));
        var first = await UdpTestKit.ReceiveAsync(server);
        await v6.SendAsync("six"u8.ToArray(), v6.ToSocketAddress(new IPEndPoint(IPAddress.IPv6Loopback, server.LocalEndPoint.Port)));
        var second = await UdpTestKit.ReceiveAsync(server);

        Assert.Equal("four", Encoding.UTF8.GetString(first.Payload));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, v4.LocalEndPoint.Port), first.Sender);
        Assert.Equal("six", Encoding.UTF8.GetString(second.Payload));
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, v6.LocalEndPoint.Port), second.Sender);
    }

    [Fact]
    public async Task ReplyGoesBackToTheAddressTheReceiveFilledIn()
    {
        using var server = UdpTestKit.BindLoopback();
        using var client = UdpTestKit.BindLoopback();
        var buffer = new byte[server.ReceiveBufferSize];
        var sender = server.CreateSocketAddress();

        await client.SendAsync("ping"u8.ToArray(), client.ToSocketAddress(server.LocalEndPoint));
        using var cts = new CancellationTokenSource(UdpTestKit.Timeout);
        var received = await server.ReceiveAsync(buffer, sender, cts.Token);
        await server.SendAsync(buffer.AsMemory(0, received.Length), sender);
        var reply = await UdpTestKit.ReceiveAsync(client);

        Assert.Equal(DatagramStatus.Ok, reply.Result.Status);
        Assert.Equal("ping", Encoding.UTF8.GetString(reply.Payload));
        Assert.Equal(server.LocalEndPoint, reply.Sender);
    }

    [Fact]
    public async Task BoundariesAreKeptOneSendIsOneReceive()
    {
        using var server = UdpTestKit.BindLoopback();
        using var client = UdpTestKit.BindLoopback();
        var to = client.ToSocketAddress(server.LocalEndPoint);

        foreach (var text in new[] { "a", "bb", "ccc" })
        {
            await client.SendAsync(Encoding.UTF8.GetBytes(text), to);
        }

        var got = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            got.Add(Encoding.UTF8.GetString((await UdpTestKit.ReceiveAsync(server)).Payload));
        }

        Assert.Equal(["a", "bb", "ccc"], got);
    }

    [Fact]
    public async Task ZeroLengthDatagramIsADatagram()
    {
        using var server = UdpTestKit.BindLoopback();
        using var client = UdpTestKit.BindLoopback();

        await client.SendAsync(ReadOnlyMemory<byte>.Empty, client.ToSocketAddress(server.LocalEndPoint));
        var (result, _, _) = await UdpTestKit.ReceiveAsync(server);

        Assert.Equal(new DatagramResult(DatagramStatus.Ok, 0), result);
    }

    [Fact]
    public async Task OversizeDatagramIsReportedTruncatedNotSilentlyCut()
    {
        using var server = UdpTestKit.BindLoopback(maxDatagramSize: 16);
        using var client = UdpTestKit.BindLoopback();
        var to = client.ToSocketAddress(server.LocalEndPoint);

        await client.SendAsync(new byte[16], to);
        var exact = await UdpTestKit.ReceiveAsync(server);
        await client.SendAsync(Enumerable.Range(0, 100).Select(i => (byte)i).ToArray(), to);
        var cut = await UdpTestKit.ReceiveAsync(server);

        Assert.Equal(new DatagramResult(DatagramStatus.Ok, 16), exact.Result);
        Assert.Equal(new DatagramResult(DatagramStatus.Truncated, 16), cut.Result);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (byte)i), cut.Payload);
    }

    [Fact]
    public async Task SendRefusesADatagramOverTheLimitBeforeSending()
    {
        using var client = UdpTestKit.BindLoopback(maxDatagramSize: 8);

        var ex = await Assert.ThrowsAsync<DatagramTooLargeException>(
            async () => await client.SendAsync(new byte[9], client.ToSocketAddress(new IPEndPoint(IPAddress.Loopback, 9))));

        Assert.Equal(9, ex.Size);
        Assert.Equal(8, ex.Limit);
        Assert.Contains("9 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReceiveRejectsABufferWithoutTheSpareByte()
    {
        using var server = UdpTestKit.BindLoopback(maxDatagramSize: 8);

        await Assert.ThrowsAsync<ArgumentException>(
            async () => await server.ReceiveAsync(new byte[8], server.CreateSocketAddress()));
    }

    [Fact]
    public async Task CancelledReceiveThrowsOperationCanceled()
    {
        using var server = UdpTestKit.BindLoopback();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await server.ReceiveAsync(new byte[server.ReceiveBufferSize], server.CreateSocketAddress(), cts.Token));
    }

    [SkippableFact]
    public async Task UnconnectedEndpointOnLinuxDoesNotSeeIcmpPortUnreachable()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "Linux behaviour: Windows reports ICMP errors to unconnected sockets as WSAECONNRESET");
        using var client = UdpTestKit.BindLoopback();

        await client.SendAsync("anyone?"u8.ToArray(), client.ToSocketAddress(new IPEndPoint(IPAddress.Loopback, UdpTestKit.DeadPort())));

        // The ICMP error comes back within microseconds on loopback, but Linux only queues it on connected sockets.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => UdpTestKit.ReceiveAsync(client, TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task ConnectedEndpointReportsIcmpPortUnreachableAsAStatusAndCarriesOn()
    {
        using var client = UdpTestKit.BindLoopback();
        var dead = new IPEndPoint(IPAddress.Loopback, UdpTestKit.DeadPort());
        client.Connect(dead);
        var to = client.ToSocketAddress(dead);

        await client.SendAsync("anyone?"u8.ToArray(), to);
        var (result, _, _) = await UdpTestKit.ReceiveAsync(client);
        var again = await client.SendAsync("still here"u8.ToArray(), to);

        Assert.Equal(DatagramStatus.PortUnreachable, result.Status);
        Assert.Equal(0, result.Length);
        Assert.Equal(DatagramStatus.Ok, again);
        Assert.Equal(dead, client.ConnectedPeer);
    }
}
