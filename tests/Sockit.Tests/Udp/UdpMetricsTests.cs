using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Sockit.Diagnostics;

namespace Sockit.Tests.Udp;

public sealed class UdpMetricsTests
{
    [Fact]
    public async Task SockitMeterCountsDatagramsInOutAndTruncated()
    {
        var totals = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SockitMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => totals.AddOrUpdate(instrument.Name, value, (_, v) => v + value));
        listener.Start();
        using var server = UdpTestKit.BindLoopback(maxDatagramSize: 4);
        using var client = UdpTestKit.BindLoopback();
        var to = client.ToSocketAddress(server.LocalEndPoint);

        await client.SendAsync("ok"u8.ToArray(), to);
        await client.SendAsync("too long"u8.ToArray(), to);
        await UdpTestKit.ReceiveAsync(server);
        await UdpTestKit.ReceiveAsync(server);

        // Other tests run in parallel and record too: assert lower bounds this test alone guarantees.
        Assert.True(totals.GetValueOrDefault("sockit.datagrams.sent") >= 2);
        Assert.True(totals.GetValueOrDefault("sockit.datagrams.received") >= 2);
        Assert.True(totals.GetValueOrDefault("sockit.datagrams.truncated") >= 1);
        Assert.True(totals.GetValueOrDefault("sockit.bytes.sent") >= 10);
        Assert.True(totals.GetValueOrDefault("sockit.bytes.received") >= 6);
    }
}
