using System.Buffers;
using System.Net;
using Sockit.Connections;
using Sockit.Framing;
using Sockit.Services;
using Sockit.Tests.Connections;

namespace Sockit.Tests.Services;

/// <summary><see cref="ForwardService"/> over loopback: every transport on each side, half-close, resets, a failed target, observers.</summary>
public sealed class ForwardServiceTests
{
    public static TheoryData<string, string> Pairs()
    {
        var pairs = new TheoryData<string, string>();
        foreach (var transport in TransportServer.All)
        {
            pairs.Add(transport, "tcp");
            if (transport != "tcp")
            {
                pairs.Add("tcp", transport);
            }
        }

        return pairs;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task ForwardsBytesBothWaysAndRelaysTheFinOnAnyTransport(string listen, string target)
    {
        await using var echo = TransportServer.Start(target, new EchoService(FrameSpec.Raw));
        await using var forward = TransportServer.Start(listen, new ForwardService(new ForwardOptions { Target = echo.Target, TargetTls = echo.ClientTls }));
        var data = ConnectionClient.RandomLengthFrames(new Random(11), 500, 4000);

        await using var client = await forward.ConnectAsync();
        var reading = client.ReadToEndAsync();
        await client.WriteSplitAsync(data, new Random(12));
        await client.Output.CompleteAsync();

        Assert.Equal(data, await reading.WithTimeout());
    }

    [Fact]
    public async Task AResetOnEitherSideResetsTheOther()
    {
        var targetSide = new TaskCompletionSource<Connection>(TaskCreationOptions.RunContinuationsAsynchronously);
        var targetDone = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var target = Loopback.StartServer(new DelegateHandler(async (connection, _) =>
        {
            targetSide.TrySetResult(connection);
            try
            {
                await connection.ReadToEndAsync();
                targetDone.TrySetResult(null);
            }
            catch (Exception ex)
            {
                targetDone.TrySetResult(ex);
            }
        }));
        await using var forward = Loopback.StartServer(new ForwardService(new ForwardOptions { Target = Target(target) }));

        // The client resets: the target's input ends with an error, not a clean end of stream.
        await using var client = await SocketConnector.ConnectAsync("127.0.0.1", forward.Port()).WithTimeout();
        await client.WriteAsync("x");
        await client.Output.FlushAsync();
        await targetSide.Task.WithTimeout();
        client.Abort(CloseReasonKind.LocalClosed, "test reset");
        Assert.NotNull(await targetDone.Task.WithTimeout());

        // The target resets: the client's input ends with an error.
        await using var resetting = Loopback.StartServer(new DelegateHandler(async (connection, _) =>
        {
            await connection.ReadExactlyAsync(1);
            connection.Abort(CloseReasonKind.LocalClosed, "test reset");
        }));
        await using var forward2 = Loopback.StartServer(new ForwardService(new ForwardOptions { Target = Target(resetting) }));
        await using var client2 = await SocketConnector.ConnectAsync("127.0.0.1", forward2.Port()).WithTimeout();
        await client2.WriteAsync("y");
        await client2.Output.FlushAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => client2.ReadToEndAsync());
    }

    [Fact]
    public async Task ARefusedTargetResetsTheClientAndLogsOneWarning()
    {
        var logger = new RecordingLogger();
        using var probe = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var unused = ((IPEndPoint)probe.LocalEndPoint!).Port; // Bound, never listening: connects are refused.
        var service = new ForwardService(new ForwardOptions { Target = ConnectionEndpoint.Parse($"127.0.0.1:{unused}") }, logger);
        await using var forward = Loopback.StartServer(service);

        // The reset may come before the connect has reported success (loopback is that fast): the connect then fails.
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var client = await SocketConnector.ConnectAsync("127.0.0.1", forward.Port()).WithTimeout();
            await client.ReadToEndAsync();
        });
        Assert.Equal(1, service.TargetFailures);
        var warning = Assert.Single(logger.Warnings);
        Assert.Contains($"target 127.0.0.1:{unused} failed", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnObserverThatThrowsIsDroppedAndTheTrafficGoesOn()
    {
        var logger = new RecordingLogger();
        await using var echo = Loopback.StartServer(new EchoService(FrameSpec.Raw));
        await using var forward = Loopback.StartServer(new ForwardService(
            new ForwardOptions { Target = Target(echo), Observe = _ => new ThrowingObserver() }, logger));

        await using var client = await SocketConnector.ConnectAsync("127.0.0.1", forward.Port()).WithTimeout();
        await client.WriteAsync("still relayed");
        await client.Output.CompleteAsync();

        Assert.Equal("still relayed"u8.ToArray(), await client.ReadToEndAsync());
        Assert.Contains(logger.Warnings, w => w.Contains("observer failed", StringComparison.Ordinal));
    }

    private static ConnectionEndpoint Target(SocketServer server) => ConnectionEndpoint.Parse($"127.0.0.1:{server.Port()}");

    private sealed class ThrowingObserver : IRelayObserver
    {
        public void OnData(RelayDirection direction, long offset, in ReadOnlySequence<byte> data) => throw new InvalidOperationException("observer bug");

        public void OnEnd(RelayDirection direction, bool clean) => throw new InvalidOperationException("observer bug");
    }
}
