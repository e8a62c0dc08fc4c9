using System.Collections.Concurrent;
using System.Text;
using Sockit.Framing;
using Sockit.Udp;

namespace Sockit.Tests.Udp;

public sealed class UdpRelayServiceTests
{
    [Fact]
    public async Task RelayHandsOnEachLineOfADatagramAndReportsABrokenFrame()
    {
        using var client = UdpTestKit.BindLoopback();
        var lines = new ConcurrentQueue<string>();
        var broken = new TaskCompletionSource<FrameError>(TaskCreationOptions.RunContinuationsAsynchronously);
        var relay = new UdpRelayService(new DatagramFramer(FrameSpec.Line, new FramingOptions { MaxFrameSize = 4 }),
            (_, message) => lines.Enqueue(Encoding.UTF8.GetString(message.Span)),
            (_, error) => broken.TrySetResult(error));
        await using var server = new RunningUdpServer(relay);

        await server.SendFromAsync(client, "a\nbc\ntoo long\n");
        var error = await broken.Task.WaitAsync(UdpTestKit.Timeout);

        Assert.Equal(["a", "bc"], lines);
        Assert.Equal(FrameErrorKind.Oversize, error.Kind);
    }

    [Fact]
    public async Task RelaySendsToTheLastPeerOrToEveryPeerAndToNoneBeforeTheFirstDatagram()
    {
        using var alice = UdpTestKit.BindLoopback();
        using var bob = UdpTestKit.BindLoopback();
        await using var server = new RunningUdpServer(new UdpEchoService());
        static void Fail(UdpPeer peer, Exception ex) => Assert.Fail($"{peer.Name}: {ex.Message}");

        var toNobody = await UdpRelayService.SendAsync(server.Server, "nobody"u8.ToArray(), toAll: false, Fail);
        await server.SendFromAsync(alice, "a");
        await UdpTestKit.ReceiveAsync(alice);
        await server.SendFromAsync(bob, "b");
        await UdpTestKit.ReceiveAsync(bob); // echoed: the server has handled bob's datagram, so bob is the last peer
        var toLast = await UdpRelayService.SendAsync(server.Server, "to bob"u8.ToArray(), toAll: false, Fail);
        var lastGot = await UdpTestKit.ReceiveAsync(bob);
        var toAll = await UdpRelayService.SendAsync(server.Server, "to all"u8.ToArray(), toAll: true, Fail);
        var aliceGot = await UdpTestKit.ReceiveAsync(alice);
        var bobGot = await UdpTestKit.ReceiveAsync(bob);

        Assert.Equal(0, toNobody);
        Assert.Equal(1, toLast);
        Assert.Equal("to bob", Encoding.UTF8.GetString(lastGot.Payload));
        Assert.Equal(2, toAll);
        Assert.Equal("to all", Encoding.UTF8.GetString(aliceGot.Payload));
        Assert.Equal("to all", Encoding.UTF8.GetString(bobGot.Payload));
        Assert.Equal(server.Endpoint.LocalEndPoint, bobGot.Sender);
    }
}
