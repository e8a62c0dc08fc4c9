using Sockit.Connections;

namespace Sockit.Tests.Connections;

public sealed class GracefulStopTests
{
    [Fact]
    public async Task StopSendsEverythingAlreadyQueuedBeforeClosing()
    {
        const int size = 4 << 20;
        var queued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new DelegateHandler(async (connection, stopping) =>
        {
            var data = new byte[size];
            for (var i = 0; i < size; i++)
            {
                data[i] = (byte)i;
            }

            // Queue more than the pipe's pause threshold; the flush completes as the client reads.
            var writing = connection.Output.WriteAsync(data).AsTask();
            queued.SetResult();
            await writing;
            await Task.Delay(Timeout.Infinite, stopping);
        });
        var server = Loopback.StartServer(handler, new SocketServerOptions { DrainTimeout = TimeSpan.FromSeconds(20) });
        using var client = await Loopback.ConnectAsync(server);
        await queued.Task.WithTimeout();

        var stopping = server.StopAsync();
        var received = await client.ReceiveToEndAsync();
        await stopping.WithTimeout();

        Assert.Equal(size, received.Length);
        Assert.True(received.Select((b, i) => b == (byte)i).All(x => x), "bytes arrived altered");
    }

    [Fact]
    public async Task StopAbortsConnectionsThatDoNotDrainBeforeTheDeadline()
    {
        var recording = new RecordingHandler(new DelegateHandler(async (connection, _) =>
        {
            // Ignores the stopping token: only the deadline can end it.
            var result = await connection.Input.ReadAsync();
            connection.Input.AdvanceTo(result.Buffer.End);
        }));
        var server = Loopback.StartServer(recording, new SocketServerOptions { DrainTimeout = TimeSpan.FromMilliseconds(200) });
        using var client = await Loopback.ConnectAsync(server);
        var connection = await recording.First.WithTimeout();

        await server.StopAsync().WithTimeout();

        Assert.Equal(CloseReasonKind.ServerStopping, connection.CloseReason?.Kind);
        Assert.True(await client.WasClosedByPeerAsync());
    }
}
