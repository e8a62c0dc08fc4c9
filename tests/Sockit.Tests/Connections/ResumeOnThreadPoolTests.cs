using System.Net.Sockets;
using System.Security.Cryptography;
using Sockit.Connections;
using Sockit.Framing;
using Sockit.Services;

namespace Sockit.Tests.Connections;

/// <summary><see cref="ConnectionOptions.ResumeOnThreadPool"/>: the loops resumed on the pool lose, reorder and hold back nothing.</summary>
public sealed class ResumeOnThreadPoolTests
{
    [Fact]
    public async Task EchoThroughPausedPipesResumedOnThePoolArrivesWholeAndInOrder()
    {
        var recording = new RecordingHandler(new EchoService(FrameSpec.Raw));
        await using var server = Loopback.StartServer(recording, new SocketServerOptions
        {
            Connection = ConnectionOptions.Default with { ResumeOnThreadPool = true },
        });
        using var client = await Loopback.ConnectAsync(server);
        var data = RandomNumberGenerator.GetBytes(16 << 20);
        var sending = Task.Run(async () =>
        {
            await client.SendAsync(data);
            client.Shutdown(SocketShutdown.Send);
        });
        var connection = await recording.First.WithTimeout();

        // Not reading yet: the echo's output fills and pauses its flush, then its input fills and pauses the receive
        // loop. Wait until the server takes no more bytes, so both resume (on the pool) only once the client reads.
        var last = await Loopback.WaitUntilReceivingStopsAsync(connection, 3);
        Assert.True(last < data.Length, $"the server took all {data.Length} bytes without its echo being read");
        var echoed = await client.ReceiveToEndAsync().WithTimeout();
        await sending.WithTimeout();
        Assert.Equal(data.Length, echoed.Length);
        Assert.True(data.AsSpan().SequenceEqual(echoed), "the echo differs from what was sent");
    }
}
