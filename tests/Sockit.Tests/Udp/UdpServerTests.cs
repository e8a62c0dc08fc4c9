using System.Net;
using System.Text;
using Sockit.Framing;
using Sockit.Udp;

namespace Sockit.Tests.Udp;

public sealed class UdpServerTests
{
    [Fact]
    public async Task EchoServiceAnswersEachPeerWithItsOwnDatagram()
    {
        using var endpoint = UdpTestKit.BindLoopback();
        using var alice = UdpTestKit.BindLoopback();
        using var bob = UdpTestKit.BindLoopback();
        var server = new UdpServer(endpoint);
        using var stop = new CancellationTokenSource(UdpTestKit.Timeout);
        var serving = server.RunAsync(new UdpEchoService(), stop.Token);

        await alice.SendAsync("from alice"u8.ToArray(), alice.ToSocketAddress(endpoint.LocalEndPoint));
        await bob.SendAsync("from bob"u8.ToArray(), bob.ToSocketAddress(endpoint.LocalEndPoint));
        var toAlice = await UdpTestKit.ReceiveAsync(alice);
        var toBob = await UdpTestKit.ReceiveAsync(bob);
        await stop.CancelAsync();
        await serving.WaitAsync(UdpTestKit.Timeout);

        Assert.Equal("from alice", Encoding.UTF8.GetString(toAlice.Payload));
        Assert.Equal(endpoint.LocalEndPoint, toAlice.Sender);
        Assert.Equal("from bob", Encoding.UTF8.GetString(toBob.Payload));
        Assert.Equal(2, server.SnapshotPeers().Length);
    }

    [Fact]
    public async Task SinkServiceCountsDatagramsBytesGapsAndLatePerPeer()
    {
        using var endpoint = UdpTestKit.BindLoopback();
        using var counted = UdpTestKit.BindLoopback();
        using var plain = UdpTestKit.BindLoopback();
        var server = new UdpServer(endpoint);
        var handler = new CountingHandler(new UdpSinkService(new DatagramFramer(FrameSpec.Raw)), expected: 6);
        using var stop = new CancellationTokenSource(UdpTestKit.Timeout);
        var serving = server.RunAsync(handler, stop.Token);

        // 3 is skipped (a gap), then arrives after 4 (late); the other peer sends no numbers at all.
        foreach (var text in new[] { "1", "2", "4", "3" })
        {
            await counted.SendAsync(Encoding.ASCII.GetBytes(text), counted.ToSocketAddress(endpoint.LocalEndPoint));
        }

        await plain.SendAsync("hello"u8.ToArray(), plain.ToSocketAddress(endpoint.LocalEndPoint));
        await plain.SendAsync("again"u8.ToArray(), plain.ToSocketAddress(endpoint.LocalEndPoint));
        await handler.Done.Task.WaitAsync(UdpTestKit.Timeout);
        await stop.CancelAsync();
        await serving.WaitAsync(UdpTestKit.Timeout);
        var reports = UdpSinkService.Report(server).ToDictionary(r => r.Peer);

        var numbers = reports[new IPEndPoint(IPAddress.Loopback, counted.LocalEndPoint.Port).ToString()];
        Assert.Equal(new UdpSinkReport(numbers.Peer, 4, 4, 1, 1), numbers);
        Assert.Equal($"{numbers.Peer}  4 datagrams  4 bytes  1 gaps  1 late", numbers.ToString());
        var words = reports[new IPEndPoint(IPAddress.Loopback, plain.LocalEndPoint.Port).ToString()];
        Assert.Equal($"{words.Peer}  2 datagrams  10 bytes  - gaps  - late", words.ToString());
    }

    [Fact]
    public async Task ServerReportsATruncatedDatagramAndHandsOnItsFirstBytes()
    {
        using var endpoint = UdpTestKit.BindLoopback(maxDatagramSize: 8);
        using var client = UdpTestKit.BindLoopback();
        var observer = new RecordingUdpObserver();
        var server = new UdpServer(endpoint, observer: observer);
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var relay = new UdpRelayService(new DatagramFramer(FrameSpec.Raw), (_, message) => received.TrySetResult(Encoding.ASCII.GetString(message.Span)));
        using var stop = new CancellationTokenSource(UdpTestKit.Timeout);
        var serving = server.RunAsync(relay, stop.Token);

        await client.SendAsync("0123456789abcdef"u8.ToArray(), client.ToSocketAddress(endpoint.LocalEndPoint));
        var (peer, limit) = await observer.Truncated.Task.WaitAsync(UdpTestKit.Timeout);
        var message = await received.Task.WaitAsync(UdpTestKit.Timeout);
        await stop.CancelAsync();
        await serving.WaitAsync(UdpTestKit.Timeout);

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, client.LocalEndPoint.Port).ToString(), peer);
        Assert.Equal(8, limit);
        Assert.Equal("01234567", message);
    }

    [Fact]
    public async Task ServerTellsItsObserverOfANewPeerOnceAndOfEveryDatagram()
    {
        using var endpoint = UdpTestKit.BindLoopback();
        using var client = UdpTestKit.BindLoopback();
        var observer = new RecordingUdpObserver();
        var server = new UdpServer(endpoint, observer: observer);
        var handler = new CountingHandler(new UdpEchoService(), expected: 2);
        using var stop = new CancellationTokenSource(UdpTestKit.Timeout);
        var serving = server.RunAsync(handler, stop.Token);

        await client.SendAsync("one"u8.ToArray(), client.ToSocketAddress(endpoint.LocalEndPoint));
        await client.SendAsync("three"u8.ToArray(), client.ToSocketAddress(endpoint.LocalEndPoint));
        await handler.Done.Task.WaitAsync(UdpTestKit.Timeout);
        await stop.CancelAsync();
        await serving.WaitAsync(UdpTestKit.Timeout);

        var name = new IPEndPoint(IPAddress.Loopback, client.LocalEndPoint.Port).ToString();
        Assert.Equal([$"added {name} (1)", $"In {name} 3", $"Out {name} 3", $"In {name} 5", $"Out {name} 5"], observer.Events);
        Assert.Same(server.SnapshotPeers()[0], server.LastPeer);
    }

    [Fact]
    public async Task ServerForgetsAPeerQuietForTheIdleTimeout()
    {
        using var endpoint = UdpTestKit.BindLoopback();
        using var early = UdpTestKit.BindLoopback();
        using var late = UdpTestKit.BindLoopback();
        var clock = new ManualTimeProvider();
        var observer = new RecordingUdpObserver();
        var server = new UdpServer(endpoint, new UdpServerOptions { IdleTimeout = TimeSpan.FromSeconds(10), TimeProvider = clock }, observer);
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new CountingHandler(new UdpRelayService(new DatagramFramer(FrameSpec.Raw), (_, _) => first.TrySetResult()), expected: 2);
        using var stop = new CancellationTokenSource(UdpTestKit.Timeout);
        var serving = server.RunAsync(handler, stop.Token);

        await early.SendAsync("hi"u8.ToArray(), early.ToSocketAddress(endpoint.LocalEndPoint));
        await first.Task.WaitAsync(UdpTestKit.Timeout);
        clock.Advance(TimeSpan.FromSeconds(11));
        await late.SendAsync("hi"u8.ToArray(), late.ToSocketAddress(endpoint.LocalEndPoint));
        await handler.Done.Task.WaitAsync(UdpTestKit.Timeout);
        await stop.CancelAsync();
        await serving.WaitAsync(UdpTestKit.Timeout);

        Assert.Contains("expired 1", observer.Events);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, late.LocalEndPoint.Port), Assert.Single(server.SnapshotPeers()).EndPoint);
    }
}
