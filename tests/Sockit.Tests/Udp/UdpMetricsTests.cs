using System.Net;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Sockit.Diagnostics;
using Sockit.Udp;

namespace Sockit.Tests.Udp;

public sealed class UdpMetricsTests
{
    [Fact]
    public async Task AnEndpointGivenAMeterFactoryCountsExactlyItsDatagramsInOutAndTruncated()
    {
        using var factory = new TestMeterFactory();
        var counts = new[] { "sockit.datagrams.sent", "sockit.datagrams.received", "sockit.datagrams.truncated", "sockit.bytes.sent", "sockit.bytes.received" }
            .ToDictionary(name => name, name => new MetricCollector<long>(factory, SockitMetrics.MeterName, name));
        var options = new UdpEndpointOptions { LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 0), MeterFactory = factory };
        using var server = UdpEndpoint.Bind(options with { MaxDatagramSize = 4 });
        using var client = UdpEndpoint.Bind(options);
        using var bystander = UdpTestKit.BindLoopback(); // the process-wide meter: must not show up here
        var to = client.ToSocketAddress(server.LocalEndPoint);

        await client.SendAsync("ok"u8.ToArray(), to);
        await client.SendAsync("too long"u8.ToArray(), to);
        await bystander.SendAsync("elsewhere"u8.ToArray(), bystander.ToSocketAddress(server.LocalEndPoint));
        for (var i = 0; i < 3; i++)
        {
            await UdpTestKit.ReceiveAsync(server);
        }

        long Total(string name) => counts[name].GetMeasurementSnapshot().Sum(m => m.Value);
        Assert.Equal(2, Total("sockit.datagrams.sent"));
        Assert.Equal(3, Total("sockit.datagrams.received"));
        Assert.Equal(2, Total("sockit.datagrams.truncated")); // "too long" and "elsewhere", each kept cut to 4 bytes
        Assert.Equal(10, Total("sockit.bytes.sent"));
        Assert.Equal(2 + 4 + 4, Total("sockit.bytes.received"));
        foreach (var collector in counts.Values)
        {
            collector.Dispose();
        }
    }
}
