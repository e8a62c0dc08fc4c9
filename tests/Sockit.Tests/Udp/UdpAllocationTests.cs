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
    private const int Batches = 5;

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

        async Task RoundAsync()
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

        for (var i = 0; i < 200; i++)
        {
            await RoundAsync(); // warm up: pooled state machines, socket event args, JIT
        }

        // The count is process-wide, so background work of the runtime or of earlier tests can add to a batch;
        // it cannot take away. The quietest batch is the bound on what the round trip itself allocates.
        var perRound = double.MaxValue;
        for (var batch = 0; batch < Batches; batch++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            for (var i = 0; i < Rounds; i++)
            {
                await RoundAsync();
            }

            perRound = Math.Min(perRound, (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)Rounds);
        }

        // Two sends, two receives, a peer lookup and a split a round. The smallest object is 24 bytes, so even one
        // allocation a round breaks this bound; what stays below it is the runtime's occasional bookkeeping.
        Assert.True(perRound < 16, $"{perRound:F1} bytes allocated per round trip");
    }
}
