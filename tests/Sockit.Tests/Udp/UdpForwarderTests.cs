using System.Collections.Concurrent;
using System.Text;
using Sockit.Udp;

namespace Sockit.Tests.Udp;

/// <summary><see cref="UdpForwarder"/> on loopback: a session per client, replies to the right client, expiry, the bound.</summary>
public sealed class UdpForwarderTests
{
    [Fact]
    public async Task EachClientGetsItsOwnSessionAndOnlyItsOwnReplies()
    {
        await using var target = new RunningUdpServer(new UdpEchoService());
        await using var forward = new RunningForwarder(new UdpForwarderOptions { Target = target.Endpoint.LocalEndPoint });
        using var first = UdpTestKit.BindLoopback();
        using var second = UdpTestKit.BindLoopback();

        await forward.SendFromAsync(first, "from first");
        await forward.SendFromAsync(second, "from second");
        var toFirst = await UdpTestKit.ReceiveAsync(first);
        var toSecond = await UdpTestKit.ReceiveAsync(second);

        Assert.Equal("from first", Encoding.ASCII.GetString(toFirst.Payload));
        Assert.Equal("from second", Encoding.ASCII.GetString(toSecond.Payload));
        Assert.Equal(forward.Listener.LocalEndPoint, toFirst.Sender);
        Assert.Equal(2, forward.Forwarder.SessionCount);
        Assert.Equal(2, target.Server.SnapshotPeers().Length); // the target sees two distinct ports
    }

    [Fact]
    public async Task AQuietSessionExpiresAndTheObserverIsTold()
    {
        await using var target = new RunningUdpServer(new UdpEchoService());
        var observer = new Recorder();
        await using var forward = new RunningForwarder(
            new UdpForwarderOptions { Target = target.Endpoint.LocalEndPoint, IdleTimeout = TimeSpan.FromMilliseconds(200) }, observer);
        using var client = UdpTestKit.BindLoopback();

        await forward.SendFromAsync(client, "hello");
        await UdpTestKit.ReceiveAsync(client);
        var expired = await observer.Expired.Task.WaitAsync(UdpTestKit.Timeout);

        Assert.Equal(client.LocalEndPoint, expired.Client);
        Assert.Equal(1, expired.DatagramsToTarget);
        Assert.Equal(1, expired.DatagramsToClient);
        Assert.Equal(0, forward.Forwarder.SessionCount);
    }

    [Fact]
    public async Task AtTheLimitANewClientsDatagramsAreDroppedAndReportedWithTheirCount()
    {
        await using var target = new RunningUdpServer(new UdpEchoService());
        var observer = new Recorder();
        await using var forward = new RunningForwarder(new UdpForwarderOptions { Target = target.Endpoint.LocalEndPoint, MaxSessions = 1 }, observer);
        using var first = UdpTestKit.BindLoopback();
        using var second = UdpTestKit.BindLoopback();

        await forward.SendFromAsync(first, "in");
        await UdpTestKit.ReceiveAsync(first);
        await forward.SendFromAsync(second, "out");
        await forward.SendFromAsync(second, "out again");
        var drops = await observer.WaitForDropsAsync(2);

        Assert.Equal(2, drops.NoSession);
        Assert.Equal(12, drops.NoSessionBytes);
        Assert.Equal(1, forward.Forwarder.SessionCount);
        Assert.Equal(1, forward.Forwarder.SessionsOpened);
    }

    private sealed class RunningForwarder : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new(UdpTestKit.Timeout);
        private readonly Task _running;

        public RunningForwarder(UdpForwarderOptions options, IUdpForwarderObserver? observer = null)
        {
            Listener = UdpTestKit.BindLoopback();
            Forwarder = new UdpForwarder(Listener, options, observer);
            _running = Forwarder.RunAsync(_stop.Token);
        }

        public UdpEndpoint Listener { get; }

        public UdpForwarder Forwarder { get; }

        public async Task SendFromAsync(UdpEndpoint client, string text) =>
            await client.SendAsync(Encoding.ASCII.GetBytes(text), client.ToSocketAddress(Listener.LocalEndPoint));

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _running.WaitAsync(UdpTestKit.Timeout);
            Forwarder.Dispose();
            Listener.Dispose();
            _stop.Dispose();
        }
    }

    private sealed class Recorder : IUdpForwarderObserver
    {
        private readonly ConcurrentQueue<UdpForwardDrops> _drops = new();

        public TaskCompletionSource<UdpForwardSession> Expired { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnSessionExpired(UdpForwardSession session, TimeSpan idleTimeout) => Expired.TrySetResult(session);

        public void OnDropped(UdpForwardDrops drops, int sessions) => _drops.Enqueue(drops);

        /// <summary>Sums the reports until <paramref name="datagrams"/> were dropped for want of a session (bounded).</summary>
        public async Task<UdpForwardDrops> WaitForDropsAsync(long datagrams)
        {
            var deadline = DateTime.UtcNow + UdpTestKit.Timeout;
            while (true)
            {
                var all = _drops.ToArray();
                var sum = new UdpForwardDrops(all.Sum(d => d.NoSession), all.Sum(d => d.NoSessionBytes), all.Sum(d => d.TooLarge),
                    all.Sum(d => d.TargetUnreachable), all.Sum(d => d.SendFailed));
                if (sum.NoSession >= datagrams || DateTime.UtcNow > deadline)
                {
                    return sum;
                }

                await Task.Delay(50);
            }
        }
    }
}
