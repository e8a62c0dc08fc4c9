using System.Text;
using Sockit.Framing;
using Sockit.Udp;

namespace Sockit.Tests.Udp;

public sealed class UdpServerTests
{
    [Fact]
    public async Task EchoServiceAnswersEachPeerWithItsOwnDatagram()
    {
        using var alice = UdpTestKit.BindLoopback();
        using var bob = UdpTestKit.BindLoopback();
        await using var server = new RunningUdpServer(new UdpEchoService());

        await server.SendFromAsync(alice, "from alice");
        await server.SendFromAsync(bob, "from bob");
        var toAlice = await UdpTestKit.ReceiveAsync(alice);
        var toBob = await UdpTestKit.ReceiveAsync(bob);
        await server.StopAsync();

        Assert.Equal("from alice", Encoding.UTF8.GetString(toAlice.Payload));
        Assert.Equal(server.Endpoint.LocalEndPoint, toAlice.Sender);
        Assert.Equal("from bob", Encoding.UTF8.GetString(toBob.Payload));
        Assert.Equal(2, server.Server.SnapshotPeers().Length);
    }

    [Fact]
    public async Task SinkServiceCountsDatagramsBytesGapsAndLatePerPeer()
    {
        using var counted = UdpTestKit.BindLoopback();
        using var plain = UdpTestKit.BindLoopback();
        var handler = new CountingHandler(new UdpSinkService(new DatagramFramer(FrameSpec.Raw)), expected: 6);
        await using var server = new RunningUdpServer(handler);

        // 3 is skipped (a gap), then arrives after 4 (late); the other peer sends no numbers at all.
        foreach (var text in new[] { "1", "2", "4", "3" })
        {
            await server.SendFromAsync(counted, text);
        }

        await server.SendFromAsync(plain, "hello");
        await server.SendFromAsync(plain, "again");
        await handler.Done.Task.WaitAsync(UdpTestKit.Timeout);
        await server.StopAsync();
        var reports = UdpSinkService.Report(server.Server).ToDictionary(r => r.Peer);

        var numbers = reports[counted.LocalEndPoint.ToString()];
        Assert.Equal(new UdpSinkReport(numbers.Peer, 4, 4, 1, 1), numbers);
        Assert.Equal($"{numbers.Peer}  4 datagrams  4 bytes  1 gaps  1 late", numbers.ToString());
        Assert.Equal($"{plain.LocalEndPoint}  2 datagrams  10 bytes  - gaps  - late", reports[plain.LocalEndPoint.ToString()].ToString());
    }

    [Fact]
    public async Task ServerReportsATruncatedDatagramAndHandsOnItsFirstBytes()
    {
        using var client = UdpTestKit.BindLoopback();
        var observer = new RecordingUdpObserver();
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var relay = new UdpRelayService(new DatagramFramer(FrameSpec.Raw), (_, message) => received.TrySetResult(Encoding.ASCII.GetString(message.Span)));
        await using var server = new RunningUdpServer(relay, observer: observer, maxDatagramSize: 8);

        await server.SendFromAsync(client, "0123456789abcdef");
        var (peer, limit) = await observer.Truncated.Task.WaitAsync(UdpTestKit.Timeout);
        var message = await received.Task.WaitAsync(UdpTestKit.Timeout);

        Assert.Equal(client.LocalEndPoint.ToString(), peer);
        Assert.Equal(8, limit);
        Assert.Equal("01234567", message);
    }

    [Fact]
    public async Task ServerTellsItsObserverOfANewPeerOnceAndOfEveryDatagram()
    {
        using var client = UdpTestKit.BindLoopback();
        var observer = new RecordingUdpObserver();
        var handler = new CountingHandler(new UdpEchoService(), expected: 2);
        await using var server = new RunningUdpServer(handler, observer: observer);

        await server.SendFromAsync(client, "one");
        await server.SendFromAsync(client, "three");
        await handler.Done.Task.WaitAsync(UdpTestKit.Timeout);
        await server.StopAsync();

        var name = client.LocalEndPoint.ToString();
        Assert.Equal([$"added {name} (1)", $"In {name} 3", $"Out {name} 3", $"In {name} 5", $"Out {name} 5"], observer.Events);
        Assert.Same(server.Server.SnapshotPeers()[0], server.Server.LastPeer);
    }

    [Fact]
    public async Task ServerForgetsAPeerQuietForTheIdleTimeout()
    {
        using var early = UdpTestKit.BindLoopback();
        using var late = UdpTestKit.BindLoopback();
        var clock = new ManualTimeProvider();
        var observer = new RecordingUdpObserver();
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new CountingHandler(new UdpRelayService(new DatagramFramer(FrameSpec.Raw), (_, _) => first.TrySetResult()), expected: 2);
        await using var server = new RunningUdpServer(handler, new UdpServerOptions { IdleTimeout = TimeSpan.FromSeconds(10), TimeProvider = clock }, observer);

        await server.SendFromAsync(early, "hi");
        await first.Task.WaitAsync(UdpTestKit.Timeout);
        clock.Advance(TimeSpan.FromSeconds(11));
        await server.SendFromAsync(late, "hi");
        await handler.Done.Task.WaitAsync(UdpTestKit.Timeout);
        await server.StopAsync();

        Assert.Contains("expired 1", observer.Events);
        Assert.Equal(late.LocalEndPoint, Assert.Single(server.Server.SnapshotPeers()).EndPoint);
    }
}
