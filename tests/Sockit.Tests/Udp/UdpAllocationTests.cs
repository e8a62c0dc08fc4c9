using System.Runtime.CompilerServices;
using Sockit.Framing;
using Sockit.Udp;

namespace Sockit.Tests.Udp;

[CollectionDefinition(nameof(UdpAllocationTests), DisableParallelization = true)]
public sealed class UdpAllocationRunsAlone;

/// <summary>Runs alone (no parallel tests allocating in the same process) so the process-wide count means something.</summary>
[Collection(nameof(UdpAllocationTests))]
public sealed class UdpAllocationTests
{
    private const int Rounds = 500;
    private const int Batches = 20;

    // Bytes per round: the smallest object is 24 bytes, so even one allocation a round breaks this bound.
    private const double Bound = 16;

    [Fact]
    public async Task EchoRoundTripsAllocateNothingPerDatagram()
    {
        using var server = UdpTestKit.BindLoopback();
        using var client = UdpTestKit.BindLoopback();
        var framer = new DatagramFramer(FrameSpec.Line);
        var table = new UdpPeerTable();
        var serverBuffer = new byte[server.ReceiveBufferSize];
        var clientBuffer = new byte[client.ReceiveBufferSize];
        var serverSender = server.CreateSocketAddress();
        var clientSender = client.CreateSocketAddress();
        var to = client.ToSocketAddress(server.LocalEndPoint);
        var payload = "12 hello\nworld"u8.ToArray();
        using var cts = new CancellationTokenSource(UdpTestKit.Timeout * 4);

        // Pooled, so a round that completes asynchronously does not count the round's own state machine.
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        async ValueTask RoundAsync()
        {
            await client.SendAsync(payload, to, cts.Token);
            var got = await server.ReceiveAsync(serverBuffer, serverSender, cts.Token);
            var peer = table.Observe(serverSender, got.Length, out _);
            foreach (var message in framer.Split(serverBuffer.AsMemory(0, got.Length)))
            {
                if (DatagramSequence.TryRead(message.Span, out var sequence))
                {
                    peer.ObserveSequence(sequence);
                }
            }

            await server.SendAsync(serverBuffer.AsMemory(0, got.Length), serverSender, cts.Token);
            await client.ReceiveAsync(clientBuffer, clientSender, cts.Token);
        }

        var (perRound, sampled) = await MeasurePerRoundAsync(RoundAsync);

        // Two sends, two receives, a peer lookup and a split a round; what stays below Bound is the runtime's
        // occasional bookkeeping.
        Assert.True(perRound < Bound, $"{perRound:F1} bytes allocated per round trip (sampled: {sampled})");
    }

    [Fact]
    public async Task UdpServerEchoAllocatesNothingPerDatagram()
    {
        using var endpoint = UdpTestKit.BindLoopback();
        using var client = UdpTestKit.BindLoopback();
        var server = new UdpServer(endpoint);
        var clientBuffer = new byte[client.ReceiveBufferSize];
        var clientSender = client.CreateSocketAddress();
        var to = client.ToSocketAddress(endpoint.LocalEndPoint);
        var payload = "12 hello"u8.ToArray();
        using var cts = new CancellationTokenSource(UdpTestKit.Timeout * 4);
        var serving = server.RunAsync(new UdpEchoService(), cts.Token);

        // Pooled, so a round that completes asynchronously does not count the round's own state machine.
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        async ValueTask RoundAsync()
        {
            await client.SendAsync(payload, to, cts.Token);
            await client.ReceiveAsync(clientBuffer, clientSender, cts.Token);
        }

        // The server's receive loop, peer lookup, observer and echo run in this process too, so they are counted.
        // Rounds here wait on receives (slower than the round above, and alongside the test host's own start-up
        // work), so a longer warm-up and more batches to find a quiet one.
        var (perRound, sampled) = await MeasurePerRoundAsync(RoundAsync, warmUp: 2000, batches: Batches * 2);
        await cts.CancelAsync();
        await serving.WaitAsync(UdpTestKit.Timeout);

        Assert.True(perRound < Bound, $"{perRound:F1} bytes allocated per round trip through UdpServer (sampled: {sampled})");
    }

    /// <summary>
    /// Warms up, then returns the fewest bytes allocated per round over up to <paramref name="batches"/> batches,
    /// stopping at the first under <see cref="Bound"/>, and the types the runtime sampled meanwhile (who allocated,
    /// when it was more than nothing: <see cref="AllocationSampler"/>).
    /// </summary>
    private static async Task<(double PerRound, string Sampled)> MeasurePerRoundAsync(Func<ValueTask> roundAsync, int warmUp = 200, int batches = Batches)
    {
        for (var i = 0; i < warmUp; i++)
        {
            await roundAsync(); // warm up: pooled state machines, socket event args, JIT
        }

        // The count is process-wide, so background work of the runtime or of earlier tests (a Redis client's
        // heartbeat, a server's timer) can add to a batch; it cannot take away. The quietest batch is the bound on
        // what the round trip itself allocates, and one allocation a round puts every batch above Bound.
        using var sampler = new AllocationSampler();
        var perRound = double.MaxValue;
        for (var batch = 0; batch < batches && perRound >= Bound; batch++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            for (var i = 0; i < Rounds; i++)
            {
                await roundAsync();
            }

            perRound = Math.Min(perRound, (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)Rounds);
        }

        return (perRound, sampler.Top());
    }
}
