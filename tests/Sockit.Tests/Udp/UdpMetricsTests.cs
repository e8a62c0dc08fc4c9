namespace Sockit.Tests.Udp;

public sealed class UdpMetricsTests
{
    [Fact]
    public async Task SockitMeterCountsDatagramsInOutAndTruncated()
    {
        using var totals = new MeterTotals();
        using var server = UdpTestKit.BindLoopback(maxDatagramSize: 4);
        using var client = UdpTestKit.BindLoopback();
        var to = client.ToSocketAddress(server.LocalEndPoint);

        await client.SendAsync("ok"u8.ToArray(), to);
        await client.SendAsync("too long"u8.ToArray(), to);
        await UdpTestKit.ReceiveAsync(server);
        await UdpTestKit.ReceiveAsync(server);

        Assert.True(totals["sockit.datagrams.sent"] >= 2);
        Assert.True(totals["sockit.datagrams.received"] >= 2);
        Assert.True(totals["sockit.datagrams.truncated"] >= 1);
        Assert.True(totals["sockit.bytes.sent"] >= 10);
        Assert.True(totals["sockit.bytes.received"] >= 6);
    }
}
