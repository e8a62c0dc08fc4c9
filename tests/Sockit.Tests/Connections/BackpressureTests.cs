using System.Net.Sockets;
using Sockit.Framing;
using Sockit.Services;
using Sockit.Connections;

namespace Sockit.Tests.Connections;

public sealed class BackpressureTests
{
    [Fact]
    public async Task ClientThatNeverReadsIsThrottledAndServerMemoryStaysBounded()
    {
        var recording = new RecordingHandler(new EchoService(FrameSpec.Raw));
        await using var server = Loopback.StartServer(recording);
        using var greedy = await Loopback.ConnectAsync(server);
        greedy.SendBufferSize = 64 * 1024;

        // Send up to 256 MiB without ever reading the echoes. If the server buffered without limit this
        // would complete; with bounded pipes the kernel buffers fill and the send stalls.
        var chunk = new byte[1 << 20];
        using var stall = new CancellationTokenSource();
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < 256; i++)
            {
                await greedy.SendAsync(chunk, SocketFlags.None, stall.Token);
            }
        });
        var connection = await recording.First.WithTimeout();

        // Wait until the server stops taking bytes: the count stays put across several heartbeats.
        await Loopback.WaitUntilReceivingStopsAsync(connection, 5, () => Assert.False(sending.IsCompleted, "256 MiB were accepted from a client that never reads"));

        // Server-side buffering is bounded by its pipes (about 2 MiB) plus kernel socket buffers.
        Assert.True(connection.BytesReceived - connection.BytesSent < 4L << 20,
            $"server holds {connection.BytesReceived - connection.BytesSent} bytes for one slow client");

        // Meanwhile everyone else is served.
        using var polite = await Loopback.ConnectAsync(server);
        await polite.SendAsync("hi"u8.ToArray());
        Assert.Equal("hi"u8.ToArray(), await polite.ReceiveExactlyAsync(2));

        await stall.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending).WithTimeout();
    }

    [Fact]
    public async Task BrokerResetsAClientThatStopsDrainingAndKeepsServingTheOthersWithoutLoss()
    {
        var broker = new BrokerService(FrameSpec.Length, fanout: new FanoutOptions { SlowConsumerTimeout = TimeSpan.FromSeconds(1) });
        var recording = new RecordingHandler(broker);
        await using var server = Loopback.StartServer(recording, new SocketServerOptions
        {
            Connection = ConnectionOptions.Default with { OutputPauseThreshold = 256 * 1024 },
        });
        using var stuck = await Loopback.ConnectAsync(server);
        stuck.ReceiveBufferSize = 16 * 1024;
        using var reader = await Loopback.ConnectAsync(server);
        using var publisher = await Loopback.ConnectAsync(server);
        await LimitsTests.WaitUntilAsync(() => recording.Connections.Count == 3);

        // 600 frames of 32 KiB (about 19 MiB): more than the stuck client's kernel buffers, output pipe
        // and 4 MiB queue together. The publisher stays at most 16 frames ahead of the reading client, so
        // only the client that never reads can fall behind; the publisher waits for it until it is cut.
        const int frames = 600;
        var frame = new byte[4 + (32 * 1024)];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame, 32 * 1024);
        using var delivered = new SemaphoreSlim(0);
        var reading = Task.Run(async () =>
        {
            var total = 0L;
            var buffer = new byte[64 * 1024];
            while (total < (long)frames * frame.Length)
            {
                var n = await reader.ReceiveAsync(buffer, SocketFlags.None);
                Assert.True(n > 0, $"the reading client was disconnected after {total} bytes");
                var before = total / frame.Length;
                total += n;
                var completed = (int)(total / frame.Length - before);
                if (completed > 0)
                {
                    delivered.Release(completed);
                }
            }
        });

        for (var i = 0; i < frames; i++)
        {
            if (i >= 16)
            {
                Assert.True(await delivered.WaitAsync(Loopback.Timeout), "the reading client stopped receiving");
            }

            await publisher.SendAsync(frame);
        }

        await reading.WithTimeout();
        var reason = await EchoServerTests.WaitForReasonsAsync(recording, CloseReasonKind.SlowConsumer);
        Assert.Contains("stopped reading", reason.Message, StringComparison.Ordinal);
        var reset = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            while (await stuck.ReceiveAsync(new byte[65536], SocketFlags.None).WaitAsync(Loopback.Timeout) > 0)
            {
            }
        });
        Assert.Equal(SocketError.ConnectionReset, reset.SocketErrorCode);
        Assert.Equal(1, broker.Fanout.SlowConsumersCut);
    }
}
