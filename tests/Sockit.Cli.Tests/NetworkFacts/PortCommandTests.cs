using static Sockit.Cli.Tests.NetworkFacts.FactsCli;

namespace Sockit.Cli.Tests.NetworkFacts;

public sealed class PortCommandTests
{
    [Fact]
    public async Task LooksAServiceUpByName()
    {
        var run = await RunAsync("port", "ssh");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"(?m)^port:\s+22$", run.Stdout);
        Assert.Matches(@"(?m)^range:\s+well-known \(0-1023\)$", run.Stdout);
        Assert.Matches(@"(?m)^source:\s+", run.Stdout);
    }

    [Fact]
    public async Task LooksAPortUpByNumberWithItsRange()
    {
        var json = Json(await RunAsync("port", "53", "--udp", "--json"));

        Assert.Equal("domain", json.GetProperty("service").GetString());
        Assert.Equal("udp", json.GetProperty("protocol").GetString());
        Assert.Equal("well-known", json.GetProperty("range").GetString());
    }

    [Theory]
    [InlineData("1024", "registered")]
    [InlineData("49151", "registered")]
    [InlineData("49152", "dynamic")]
    [InlineData("65535", "dynamic")]
    public async Task AnUnassignedPortStillHasARange(string port, string range)
    {
        var json = Json(await RunAsync("port", port, "--json"));

        Assert.Equal(range, json.GetProperty("range").GetString());
    }

    [Theory]
    [InlineData("65536")]
    [InlineData("99999")]
    [InlineData("-1")]
    [InlineData("no-such-service")]
    [InlineData("SSH")]
    public async Task BadPortsAndUnknownNamesExit2(string value) =>
        AssertOneLineError(await RunAsync("port", value), value);

    [Fact]
    public async Task FallsBackToTheBuiltInTableAndSaysSo()
    {
        var missing = Path.Combine(Path.GetTempPath(), "sockit-no-services-" + Guid.NewGuid().ToString("N"));

        var run = await RunWithEnvironmentAsync([$"SOCKIT_SERVICES={missing}"], "port", "redis", "--json");

        Assert.Equal(0, run.ExitCode);
        var json = Json(run);
        Assert.Equal(6379, json.GetProperty("port").GetInt32());
        Assert.Equal("built-in table", json.GetProperty("source").GetString());
        Assert.Contains(missing, json.GetProperty("fallbackReason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADirectoryInSockitServicesIsSaidToBeOne()
    {
        var run = await RunWithEnvironmentAsync([$"SOCKIT_SERVICES={Path.GetTempPath()}"], "port", "redis", "--json");

        Assert.Equal(0, run.ExitCode);
        Assert.EndsWith("is a directory, not a services file", Json(run).GetProperty("fallbackReason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadsTheFileSockitServicesNames()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, "sockit-test 4242/tcp sockit-alias\n");

            var run = await RunWithEnvironmentAsync([$"SOCKIT_SERVICES={path}"], "port", "sockit-alias");

            Assert.Equal(0, run.ExitCode);
            Assert.Matches(@"(?m)^service:\s+sockit-test$", run.Stdout);
            Assert.Matches(@"(?m)^port:\s+4242$", run.Stdout);
            Assert.Contains(path, run.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
