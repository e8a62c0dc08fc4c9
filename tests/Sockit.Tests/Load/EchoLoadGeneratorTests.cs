using System.Net;
using System.Net.Sockets;
using Sockit.Connections;
using Sockit.Framing;
using Sockit.Load;
using static Sockit.Tests.Load.LoopbackEchoServer;

namespace Sockit.Tests.Load;

public sealed class EchoLoadGeneratorTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(30);

    private static EchoLoadOptions Options(int port, int connections = 2, int depth = 4, int size = 32, string framing = "length") => new()
    {
        Endpoint = ConnectionEndpoint.Parse($"127.0.0.1:{port}"),
        Connections = connections,
        Depth = depth,
        MessageSize = size,
        Framing = FrameSpec.Parse(framing),
        Warmup = TimeSpan.FromMilliseconds(100),
        Duration = TimeSpan.FromMilliseconds(400),
        // Long, so a starved thread pool on a loaded machine cannot turn replies into losses; a healthy drain
        // ends as soon as the last reply is in.
        DrainTimeout = TimeSpan.FromSeconds(10),
    };

    private static Task<EchoLoadResult> RunAsync(EchoLoadOptions options) =>
        new EchoLoadGenerator(options).RunAsync().WaitAsync(TestTimeout);

    private static void AssertClean(EchoLoadResult result)
    {
        Assert.Null(result.FirstError);
        Assert.Equal(0, result.Lost);
        Assert.Equal(0, result.Reordered);
        Assert.Equal(0, result.Corrupted);
        Assert.Equal(0, result.ConnectionErrors);
        Assert.False(result.HasErrors);
        Assert.True(result.Verified > 0, "no reply came back");
        Assert.Equal(result.Sent, result.Verified);
        Assert.Equal(result.Messages, result.Latency.TotalCount);
    }

    [Theory]
    [InlineData("length", 1, 1, 32)]
    [InlineData("length", 4, 16, 32)]
    [InlineData("length", 1, 4, 65536)]
    [InlineData("raw", 3, 8, 100)]
    [InlineData("line", 2, 4, 40)]
    [InlineData("varint", 2, 4, 300)]
    [InlineData("length:u16le", 2, 4, 64)]
    public async Task EveryReplyFromACorrectEchoIsVerifiedAndTimed(string framing, int connections, int depth, int size)
    {
        await using var server = new LoopbackEchoServer();

        var result = await RunAsync(Options(server.Port, connections, depth, size, framing));

        AssertClean(result);
        Assert.True(result.LatencyAt(50) <= result.LatencyAt(99.9));
        Assert.True(result.LatencyAt(99.9) <= result.MaxLatency);
        Assert.Equal(result.Messages / 0.4, result.MessagesPerSecond, 3);
    }

    [Theory]
    [InlineData(FaultKind.Corrupt, 0, 0, 1)]
    [InlineData(FaultKind.Drop, 1, 0, 0)]
    [InlineData(FaultKind.Swap, 0, 1, 0)]
    public async Task ASpoiledReplyIsCountedAsWhatItIsWhileTheLoadGoesOn(FaultKind fault, long lost, long reordered, long corrupted)
    {
        await using var server = new LoopbackEchoServer(new Fault(fault, At: 5));

        var result = await RunAsync(Options(server.Port, connections: 1, depth: 4));

        Assert.Equal((lost, reordered, corrupted), (result.Lost, result.Reordered, result.Corrupted));
        Assert.True(result.HasErrors);

        // Stalled on the spoiled reply, the connection would stop at 8 (0-4, then 6-8 filling the window).
        Assert.True(result.Verified > 8, $"the load stalled after the fault: {result.Verified} replies");
    }

    [Fact]
    public async Task ADroppedPingPongReplyIsLostWhenTheDrainTimesOut()
    {
        await using var server = new LoopbackEchoServer(new Fault(FaultKind.Drop, At: 3));

        var result = await RunAsync(Options(server.Port, connections: 1, depth: 1) with { DrainTimeout = TimeSpan.FromMilliseconds(200) });

        Assert.Equal(1, result.Lost);
        Assert.Equal(3, result.Verified);
        Assert.True(result.HasErrors);
    }

    [Fact]
    public async Task AServerThatClosesMidRunIsAConnectionError()
    {
        await using var server = new LoopbackEchoServer(new Fault(FaultKind.Close, At: 5));

        var result = await RunAsync(Options(server.Port, connections: 2, depth: 2));

        Assert.Equal(2, result.ConnectionErrors);
        Assert.Contains("closed", result.FirstError, StringComparison.Ordinal);
        Assert.True(result.Lost > 0);
        Assert.True(result.HasErrors);
    }

    [Fact]
    public async Task ARefusedConnectionIsAClearError()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var ex = await Assert.ThrowsAsync<EchoLoadException>(() => RunAsync(Options(port, connections: 3)));

        Assert.Contains($"127.0.0.1:{port}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("refused", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancellationStopsTheRunAndClosesEverything()
    {
        await using var server = new LoopbackEchoServer();
        using var cts = new CancellationTokenSource();
        var options = Options(server.Port, connections: 4, depth: 8) with { Duration = TimeSpan.FromMinutes(5) };
        var generator = new EchoLoadGenerator(options);

        var run = generator.RunAsync(cts.Token);
        while (generator.GetProgress().Verified < 100)
        {
            await Task.Delay(10).WaitAsync(TestTimeout);
        }

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TestTimeout));
    }

    [Fact]
    public async Task ProgressCountsRepliesDuringTheRun()
    {
        await using var server = new LoopbackEchoServer();
        var generator = new EchoLoadGenerator(Options(server.Port) with { Duration = TimeSpan.FromSeconds(1) });
        Assert.Equal(default, generator.GetProgress());

        var run = generator.RunAsync();
        while (generator.GetProgress().Verified == 0 && !run.IsCompleted)
        {
            await Task.Delay(10).WaitAsync(TestTimeout);
        }

        var result = await run.WaitAsync(TestTimeout);
        Assert.True(generator.GetProgress().Verified >= result.Messages);
        Assert.Equal(0, generator.GetProgress().Errors);
    }

    [Fact]
    public async Task AGeneratorRunsOnce()
    {
        await using var server = new LoopbackEchoServer();
        var generator = new EchoLoadGenerator(Options(server.Port, connections: 1) with { Duration = TimeSpan.FromMilliseconds(50) });
        await generator.RunAsync().WaitAsync(TestTimeout);

        await Assert.ThrowsAsync<InvalidOperationException>(() => generator.RunAsync());
    }
}
