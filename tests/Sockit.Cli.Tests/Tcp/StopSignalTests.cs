using System.Net.Sockets;
using Sockit.Cli.Tests.Infrastructure;

namespace Sockit.Cli.Tests.Tcp;

/// <summary>
/// A supervisor that stops a server as soon as it reports ready must get the graceful stop every time: the signal
/// may arrive a moment after the listening line, before the command has reached its first await.
/// </summary>
public sealed class StopSignalTests
{
    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task ASignalRightAfterTheListeningLineStopsTheServerGracefullyEveryTime(string signal)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        for (var run = 1; run <= 10 && DateTime.UtcNow < deadline; run++)
        {
            await using var server = await TcpCli.ListenAsync("--mode", "echo");
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", server.Port).WaitAsync(SockitProcess.DefaultTimeout);

            server.Signal(signal);

            var code = await server.WaitForExitAsync();
            Assert.True(code == 0, $"run {run}: exit {code} after SIG{signal}, expected a graceful stop (0); stderr:\n{server.Stderr}");
        }
    }
}
