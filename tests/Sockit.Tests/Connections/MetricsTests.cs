using System.Net.Sockets;
using Sockit.Framing;
using Sockit.Services;

namespace Sockit.Tests.Connections;

public sealed class MetricsTests
{
    [Fact]
    public async Task SockitMeterCountsConnectionsBytesAndFrames()
    {
        using var totals = new MeterTotals();

        // Other tests run in parallel and record too: assert lower bounds this test alone guarantees.
        await using (var server = Loopback.StartServer(new EchoService(FrameSpec.Line)))
        {
            using var client = await Loopback.ConnectAsync(server);
            await client.SendAsync("one\ntwo\nthree\n"u8.ToArray());
            client.Shutdown(SocketShutdown.Send);
            Assert.Equal(14, (await client.ReceiveToEndAsync()).Length);
        }

        Assert.True(totals["sockit.connections.accepted"] >= 1);
        Assert.True(totals["sockit.bytes.received"] >= 14);
        Assert.True(totals["sockit.bytes.sent"] >= 14);
        Assert.True(totals["sockit.frames.received"] >= 3);
        Assert.True(totals["sockit.frames.sent"] >= 3);
    }
}
