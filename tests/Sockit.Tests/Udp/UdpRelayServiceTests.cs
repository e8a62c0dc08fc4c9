using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Sockit.Framing;
using Sockit.Udp;

namespace Sockit.Tests.Udp;

public sealed class UdpRelayServiceTests
{
    [Fact]
    public async Task RelayHandsOnEachLineOfADatagramAndReportsABrokenFrame()
    {
        using var endpoint = UdpTestKit.BindLoopback();
        using var client = UdpTestKit.BindLoopback();
        var server = new UdpServer(endpoint);
        var lines = new ConcurrentQueue<string>();
        var broken = new TaskCompletionSource<FrameError>(TaskCreationOptions.RunContinuationsAsynchronously);
        var relay = new UdpRelayService(new DatagramFramer(FrameSpec.Line, new FramingOptions { MaxFrameSize = 4 }),
            (_, message) => lines.Enqueue(Encoding.UTF8.GetString(message.Span)),
            (_, error) => broken.TrySetResult(error));
        using var stop = new CancellationTokenSource(UdpTestKit.Timeout);
        var serving = server.RunAsync(relay, stop.Token);

        await client.SendAsync("a\nbc\ntoo long\n"u8.ToArray(), client.ToSocketAddress(endpoint.LocalEndPoint));
        var error = await broken.Task.WaitAsync(UdpTestKit.Timeout);
        await stop.CancelAsync();
        await serving.WaitAsync(UdpTestKit.Timeout);

        Assert.Equal(["a", "bc"], lines);
        Assert.Equal(FrameErrorKind.Oversize, error.Kind);
    }

    [Fact]
    public async Task RelaySendsToTheLastPeerOrToEveryPeerAndToNoneBeforeTheFirstDatagram()
    {
        using var endpoint = UdpTestKit.BindLoopback();
        using var alice = UdpTestKit.BindLoopback();
        using var bob = UdpTestKit.BindLoopback();
        var server = new UdpServer(endpoint);
        var handler = new CountingHandler(new UdpEchoService(), expected: 2);
        static void Fail(UdpPeer peer, Exception ex) => Assert.Fail($"{peer.Name}: {ex.Message}");

        Assert.Equal(0, await UdpRelayService.SendAsync(server, "nobody"u8.ToArray(), toAll: false, Fail));

        using var stop = new CancellationTokenSource(UdpTestKit.Timeout);
        var serving = server.RunAsync(handler, stop.Token);
        await alice.SendAsync("a"u8.ToArray(), alice.ToSocketAddress(endpoint.LocalEndPoint));
        await UdpTestKit.ReceiveAsync(alice);
        await bob.SendAsync("b"u8.ToArray(), bob.ToSocketAddress(endpoint.LocalEndPoint));
        await UdpTestKit.ReceiveAsync(bob);
        await handler.Done.Task.WaitAsync(UdpTestKit.Timeout);

        var toLast = await UdpRelayService.SendAsync(server, "to bob"u8.ToArray(), toAll: false, Fail);
        var lastGot = await UdpTestKit.ReceiveAsync(bob);
        var toAll = await UdpRelayService.SendAsync(server, "to all"u8.ToArray(), toAll: true, Fail);
        var aliceGot = await UdpTestKit.ReceiveAsync(alice);
        var bobGot = await UdpTestKit.ReceiveAsync(bob);
        await stop.CancelAsync();
        await serving.WaitAsync(UdpTestKit.Timeout);

        Assert.Equal(1, toLast);
        Assert.Equal("to bob", Encoding.UTF8.GetString(lastGot.Payload));
        Assert.Equal(2, toAll);
        Assert.Equal("to all", Encoding.UTF8.GetString(aliceGot.Payload));
        Assert.Equal("to all", Encoding.UTF8.GetString(bobGot.Payload));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, endpoint.LocalEndPoint.Port), bobGot.Sender);
    }
}
