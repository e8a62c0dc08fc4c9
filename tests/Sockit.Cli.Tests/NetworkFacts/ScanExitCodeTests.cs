using Sockit.Cli.Tests.Tcp;
using static Sockit.Cli.Tests.NetworkFacts.FactsCli;

namespace Sockit.Cli.Tests.NetworkFacts;

/// <summary><c>scan</c>'s exit code follows <c>nc -z</c>: 0 when at least one port is open, 1 when none is.</summary>
public sealed class ScanExitCodeTests
{
    [Fact]
    public async Task ScanExitsZeroWhenAPythonListenerHoldsOneOfThePorts()
    {
        await using var python = await TcpCli.PythonServerAsync("listener.accept()[0].close()\n");

        var run = await RunAsync("scan", "127.0.0.1", $"{ClosedPort()},{python.Port}", "--timeout", "2s");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches($@"(?m)^{python.Port}\s+open\s", run.Stdout);
    }

    [Fact]
    public async Task ScanExitsOneWhenNoPortIsOpenAndStillPrintsTheTableAndSummary()
    {
        var closed = ClosedPort();

        var run = await RunAsync("scan", "127.0.0.1", TcpCli.Text(closed), "--timeout", "2s");

        Assert.Equal(1, run.ExitCode);
        Assert.Matches($@"(?m)^{closed}\s+closed\s", run.Stdout);
        Assert.Contains("0 open, 1 closed", run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task ScanJsonExitsOneWhenNoPortIsOpen()
    {
        var run = await RunAsync("scan", "127.0.0.1", TcpCli.Text(ClosedPort()), "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("closed", Json(run).GetProperty("ports")[0].GetProperty("state").GetString());
    }
}
