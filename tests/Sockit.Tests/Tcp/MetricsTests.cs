using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.Sockets;
using Sockit.Diagnostics;
using Sockit.Framing;
using Sockit.Services;

namespace Sockit.Tests.Tcp;

public sealed class MetricsTests
{
    [Fact]
    public async Task SockitMeterCountsConnectionsBytesAndFrames()
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

        // Other tests run in parallel and record too: assert lower bounds this test alone guarantees.
        await using (var server = Loopback.StartServer(new EchoService(FrameSpec.Line)))
        {
            using var client = await Loopback.ConnectAsync(server);
            await client.SendAsync("one\ntwo\nthree\n"u8.ToArray());
            client.Shutdown(SocketShutdown.Send);
            Assert.Equal(14, (await client.ReceiveToEndAsync()).Length);
        }

        listener.RecordObservableInstruments();
        Assert.True(totals.GetValueOrDefault("sockit.connections.accepted") >= 1);
        Assert.True(totals.GetValueOrDefault("sockit.bytes.received") >= 14);
        Assert.True(totals.GetValueOrDefault("sockit.bytes.sent") >= 14);
        Assert.True(totals.GetValueOrDefault("sockit.frames.received") >= 3);
        Assert.True(totals.GetValueOrDefault("sockit.frames.sent") >= 3);
    }
}
