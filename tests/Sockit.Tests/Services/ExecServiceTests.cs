using Sockit.Services;
using Sockit.Tests.Connections;

namespace Sockit.Tests.Services;

/// <summary><see cref="ExecService"/> and <see cref="ExecBridge"/> on loopback: the parts the CLI tests cannot reach.</summary>
public sealed class ExecServiceTests
{
    [Fact]
    public async Task AChildThatCannotStartResetsItsConnectionWithOneWarningAndTheServerGoesOn()
    {
        var logger = new RecordingLogger();
        await using var server = Loopback.StartServer(new ExecService(new ExecOptions { Command = "cat", Shell = "/nonexistent/sh" }, logger));

        Assert.True(await Loopback.IsResetAtOnceAsync(server));
        Assert.True(await Loopback.IsResetAtOnceAsync(server));

        Assert.Equal(2, logger.Warnings.Count);
        Assert.All(logger.Warnings, w => Assert.Contains("cannot run 'cat': no shell at /nonexistent/sh; connection reset", w, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AStoppingServerStopsTheChildWithSigtermAndSaysWhy()
    {
        var result = new TaskCompletionSource<ExecResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = new StringWriter();
        var options = new ExecOptions { Command = "echo to-stderr >&2; echo started; exec sleep 1000", StandardError = TextWriter.Synchronized(stderr) };
        var server = Loopback.StartServer(new DelegateHandler(async (connection, stopping) =>
            result.SetResult(await new ExecBridge(connection, options).RunAsync(stopping))));
        using var client = await Loopback.ConnectAsync(server);
        // The stderr line is written first, so it is in the child's stderr before "started" arrives: a stop right
        // after that cannot kill the shell before it has written it.
        Assert.Equal("started\n"u8.ToArray(), await client.ReceiveExactlyAsync(8));

        await server.StopAsync().WithTimeout();

        var ended = await result.Task.WithTimeout();
        Assert.Equal(new ExecResult(143, "the server is stopping"), ended);
        Assert.Equal("", System.Text.Encoding.UTF8.GetString(await client.ReceiveToEndAsync()));
        Assert.Equal($"{client.LocalEndPoint}: to-stderr\n", stderr.ToString());
    }

    [Fact]
    public void ABlankCommandIsRefused() =>
        Assert.Throws<ArgumentException>(() => new ExecService(new ExecOptions { Command = " " }));
}
