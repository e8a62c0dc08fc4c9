using System.Globalization;
using Sockit.Cli.Tests.Infrastructure;
using static Sockit.Cli.Tests.NetworkFacts.FactsCli;

namespace Sockit.Cli.Tests.NetworkFacts;

public sealed class PingAndScanCommandTests
{
    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task TcpPingOfAListenerPrintsEachProbeAndTheSummary()
    {
        using var listener = Listen();

        var run = await RunAsync("ping", "127.0.0.1", "-p", Text(Port(listener)), "-c", "3", "-i", "50ms");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(3, run.Stdout.Split('\n').Count(l => l.StartsWith($"connected to 127.0.0.1:{Port(listener)}: seq=", StringComparison.Ordinal)));
        Assert.Contains("3 sent, 3 received, 0% loss", run.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^rtt min/avg/max/mdev = [\d.]+/[\d.]+/[\d.]+/[\d.]+ ms$", run.Stdout);
    }

    [Fact]
    public async Task TcpPingOfAClosedPortIsAllLossAndExit1()
    {
        var run = await RunAsync("ping", "127.0.0.1", "-p", Text(ClosedPort()), "-c", "2", "-i", "50ms");

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"(?m)^127\.0\.0\.1:\d+: connection refused, seq=1 time=\d+\.\d+ ms$", run.Stdout);
        Assert.Contains("2 sent, 0 received, 100% loss", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TcpPingJsonIsOneDocumentWithTheSummary()
    {
        using var listener = Listen();

        var json = Json(await RunAsync("ping", "127.0.0.1", "-p", Text(Port(listener)), "-c", "2", "-i", "50ms", "--json"));

        Assert.Equal("tcp", json.GetProperty("mode").GetString());
        Assert.Equal(2, json.GetProperty("sent").GetInt32());
        Assert.Equal(2, json.GetProperty("received").GetInt32());
        Assert.Equal(2, json.GetProperty("probes").GetArrayLength());
        Assert.True(json.GetProperty("minMs").GetDouble() <= json.GetProperty("maxMs").GetDouble());
    }

    [Fact]
    public async Task CtrlCStopsPingAndPrintsTheSummary()
    {
        using var listener = Listen();

        await using var ping = SockitProcess.Start("ping", "127.0.0.1", "-p", Text(Port(listener)), "-i", "100ms");
        await ping.WaitForStdoutAsync("seq=2");

        ping.Interrupt();

        Assert.Equal(0, await ping.WaitForExitAsync());
        Assert.Contains("--- 127.0.0.1 ping statistics ---", ping.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\d+ sent, \d+ received, ", ping.Stdout);
    }

    [Fact]
    public async Task IcmpPingOfLoopbackWorksOrSaysInOneLineThatItIsNotPermitted()
    {
        var run = await RunAsync("ping", "127.0.0.1", "-c", "1");

        if (run.ExitCode == 0)
        {
            Assert.Contains("1 sent, 1 received, 0% loss", run.Stdout, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(1, run.ExitCode);
            Assert.Single(run.Stderr.TrimEnd('\n').Split('\n'));
            Assert.Contains("not permitted", run.Stderr, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("-p", "70000")]
    [InlineData("-p", "nosuchservice")]
    [InlineData("-i", "soon")]
    [InlineData("-W", "-1s")]
    public async Task PingRejectsBadOptionValuesWithExit2(string option, string value) =>
        AssertOneLineError(await RunAsync("ping", "127.0.0.1", option, value, "-c", "1"), value);

    [Theory]
    [InlineData("0")] // iputils: "invalid argument: '0': out of range"; 0 once meant "until Ctrl-C" and never ended
    [InlineData("-2")]
    public async Task PingRefusesACountBelowOneWithExit2(string count)
    {
        var run = await RunAsync("ping", "127.0.0.1", "-p", Text(ClosedPort()), "-i", "10ms", "-c", count);

        AssertOneLineError(run, count);
        Assert.Contains("give 1 or more", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanReportsOpenAndClosedPortsWithServiceNames()
    {
        using var listener = Listen();

        var open = Port(listener);
        var closed = ClosedPort();

        var run = await RunAsync("scan", "127.0.0.1", $"{open},{closed},ssh", "--timeout", "2s");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"(?m)^PORT\s+STATE\s+SERVICE\s+TIME$", run.Stdout);
        Assert.Matches($@"(?m)^{open}\s+open\s", run.Stdout);
        Assert.Matches($@"(?m)^{closed}\s+closed\s", run.Stdout);
        Assert.Matches(@"(?m)^22\s+\S+\s+ssh\s", run.Stdout);
        Assert.Contains("scanned 3 ports on 127.0.0.1", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanJsonAndOpenOnly()
    {
        using var listener = Listen();

        var open = Port(listener);

        var json = Json(await RunAsync("scan", "127.0.0.1", $"{open},{ClosedPort()}", "--open", "--concurrency", "1", "--json"));

        var ports = json.GetProperty("ports").EnumerateArray().ToArray();
        Assert.Single(ports);
        Assert.Equal(open, ports[0].GetProperty("port").GetInt32());
        Assert.Equal("open", ports[0].GetProperty("state").GetString());
    }

    [Theory]
    [InlineData("90-80")]
    [InlineData("1-70000")]
    [InlineData("nosuchservice")]
    public async Task ScanRejectsBadPortListsWithExit2(string ports) =>
        AssertOneLineError(await RunAsync("scan", "127.0.0.1", ports), ports);

    [Fact]
    public async Task ScanRejectsABadHostWithExit2() =>
        AssertOneLineError(await RunAsync("scan", "bad host", "80"), "bad host");
}
