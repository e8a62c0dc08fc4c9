using Sockit.Framing;
using Sockit.Udp;

namespace Sockit.Tests.Udp;

[CollectionDefinition(nameof(UdpAllocationTests), DisableParallelization = true)]
public sealed class UdpAllocationRunsAlone;

/// <summary>Runs alone (no parallel tests allocating in the same process) so the process-wide count means something.</summary>
[Collection(nameof(UdpAllocationTests))]
public sealed class UdpAllocationTests
{
    private const int Rounds = 2000;

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

        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < Rounds; i++)
        {
            await RoundAsync();
        }

        var perRound = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)Rounds;

        // Two sends, two receives, a lookup and a split per round. Some slack for the runtime's own timers and
        // thread pool; one allocation per datagram (24 bytes at the least, two datagrams a round) would show as 48+.
        Assert.True(perRound < 32, $"{perRound:F1} bytes allocated per round trip");
    }
}
