using static Sockit.Cli.Tests.NetworkFacts.FactsCli;

namespace Sockit.Cli.Tests.NetworkFacts;

public sealed class ResolveAndHostCommandTests
{
    [Fact]
    public async Task ResolveLocalhostGivesTheCanonicalNameAndLoopback()
    {
        var run = await RunAsync("resolve", "localhost", "-4");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"(?m)^canonical name:\s+\S+", run.Stdout);
        Assert.Matches(@"(?m)^address:\s+127\.0\.0\.1", run.Stdout);
    }

    [Fact]
    public async Task ResolveOfAnAddressIsReverseAndJsonSaysSo()
    {
        var json = Json(await RunAsync("resolve", "127.0.0.1", "--json"));

        Assert.True(json.GetProperty("reverse").GetBoolean());
        Assert.NotEmpty(json.GetProperty("canonicalName").GetString()!);
        Assert.Equal("127.0.0.1", json.GetProperty("addresses")[0].GetProperty("address").GetString());
    }

    [Fact]
    public async Task ResolveAllAddsTheReverseNames()
    {
        var json = Json(await RunAsync("resolve", "localhost", "-4", "--all", "--json"));

        Assert.All(json.GetProperty("addresses").EnumerateArray(), a => Assert.True(a.TryGetProperty("reverseName", out _)));
    }

    [Fact]
    public async Task ResolveOfAnAddressWithoutAReverseNameSaysSo()
    {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): no PTR record anywhere, not in the hosts file.
        var run = await RunAsync("resolve", "192.0.2.1");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("sockit: cannot resolve '192.0.2.1': the address has no reverse name (no PTR record, no hosts-file entry)\n", run.Stderr);
    }

    [Fact]
    public async Task ResolveWithBothFamiliesIsUsageError()
    {
        var run = await RunAsync("resolve", "localhost", "-4", "-6");

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad host")]
    public async Task ResolveOfTextThatCannotBeAHostNameExits2(string name) =>
        AssertOneLineError(await RunAsync("resolve", name), name);

    [Fact]
    public async Task HostJsonListsTheLoopbackInterface()
    {
        var json = Json(await RunAsync("host", "--json"));

        Assert.NotEmpty(json.GetProperty("hostname").GetString()!);
        Assert.NotEmpty(json.GetProperty("fqdn").GetString()!);
        var addresses = json.GetProperty("interfaces").EnumerateArray()
            .SelectMany(i => i.GetProperty("addresses").EnumerateArray().Select(a => a.GetProperty("address").GetString()));
        Assert.Contains("127.0.0.1", addresses);
    }

    [Fact]
    public async Task HostPlainOutputHasOneRowPerAddress()
    {
        var run = await RunAsync("host");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"(?m)^hostname:\s+\S+", run.Stdout);
        Assert.Matches(@"(?m)^INTERFACE\s+STATE\s+TYPE\s+MAC\s+ADDRESS$", run.Stdout);
        Assert.Matches(@"(?m)\s127\.0\.0\.1/8$", run.Stdout);
    }
}
