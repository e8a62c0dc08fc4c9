using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Sockit.Connections;
using Sockit.Diagnostics;
using Sockit.Framing;
using Sockit.Services;

namespace Sockit.Tests.Connections;

public sealed class MetricsTests
{
    private static MetricCollector<long> Collect(TestMeterFactory factory, string instrument) => new(factory, SockitMetrics.MeterName, instrument);

    private static long Total(MetricCollector<long> collector) => collector.GetMeasurementSnapshot().Sum(m => m.Value);

    private static async Task EchoThreeLinesAsync(SocketServer server)
    {
        using var client = await Loopback.ConnectAsync(server);
        await client.SendAsync("one\ntwo\nthree\n"u8.ToArray());
        client.Shutdown(SocketShutdown.Send);
        Assert.Equal(14, (await client.ReceiveToEndAsync().WithTimeout()).Length);
    }

    [Fact]
    public async Task AServerGivenAMeterFactoryCountsExactlyItsOwnConnectionsBytesAndFrames()
    {
        using var factory = new TestMeterFactory();
        using var accepted = Collect(factory, "sockit.connections.accepted");
        using var active = Collect(factory, "sockit.connections.active");
        using var received = Collect(factory, "sockit.bytes.received");
        using var sent = Collect(factory, "sockit.bytes.sent");
        using var framesIn = Collect(factory, "sockit.frames.received");
        using var framesOut = Collect(factory, "sockit.frames.sent");

        await using (var server = Loopback.StartServer(new EchoService(FrameSpec.Line), new SocketServerOptions { MeterFactory = factory }))
        await using (var other = Loopback.StartServer(new EchoService(FrameSpec.Line)))
        {
            await EchoThreeLinesAsync(server);
            await EchoThreeLinesAsync(server);
            await EchoThreeLinesAsync(other); // on the process-wide meter: must not show up here
        }

        Assert.Equal(2, Total(accepted));
        Assert.Equal([-1, -1, 1, 1], active.GetMeasurementSnapshot().Select(m => m.Value).Order()); // each opened and closed once
        Assert.Equal(28, Total(received));
        Assert.Equal(28, Total(sent));
        Assert.Equal(6, Total(framesIn));
        Assert.Equal(6, Total(framesOut));
    }
}
