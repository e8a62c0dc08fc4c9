using System.Globalization;
using System.Text.Json;
using static Sockit.Cli.Tests.NetworkFacts.FactsCli;

namespace Sockit.Cli.Tests.NetworkFacts;

public sealed class IpCommandTests
{
    [Theory]
    [InlineData("127.1", "7f000001")]
    [InlineData("0x7f.1", "7f000001")]
    [InlineData("0177.0.0.1", "7f000001")]
    [InlineData("10.1", "0a000001")]
    [InlineData("3232235778", "c0a80102")]
    public async Task AtonPrintsTheFourBytesAsHex(string input, string hex)
    {
        var run = await RunAsync("ip", "aton", input);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(hex + "\n", run.Stdout);
    }

    [Theory]
    [InlineData("aton", "256.1.1.1", "is not an IPv4 address")]
    [InlineData("aton", "1.2.3.4.5", "is not an IPv4 address")]
    [InlineData("aton", "08.0.0.1", "is not an IPv4 address")]
    [InlineData("aton", "", "is not an IPv4 address")]
    [InlineData("aton", "1.2.3.4 junk", "trailing text")]
    [InlineData("pton", "127.1", "is not an IPv4 address")]
    [InlineData("pton", "[::1]", "brackets")]
    [InlineData("pton", "fe80::1%eth0", "%scope")]
    [InlineData("pton", "1.2.3.4:80", "port")]
    [InlineData("ntoa", "c0a801", "not 4 bytes")]
    [InlineData("ntoa", "xyz", "is not bytes")]
    [InlineData("ntop", "c0a8010203", "not 4 or 16 bytes")]
    [InlineData("info", "10.0.0.0/33", "is not a subnet")]
    [InlineData("info", "10.1", "is not an IPv4 address")]
    public async Task BadInputIsOneLineNamingItAndExit2(string subcommand, string input, string reason)
    {
        var run = await RunAsync("ip", subcommand, input);

        AssertOneLineError(run, input);
        Assert.Contains(reason, run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ntoa", "c0a80102", "192.168.1.2")]
    [InlineData("ntoa", "0x7f000001", "127.0.0.1")]
    [InlineData("ntoa", @"b'\xc0\xa8\x01\x02'", "192.168.1.2")]
    [InlineData("pton", "192.168.1.2", "c0a80102")]
    [InlineData("pton", "::ffff:10.0.0.1", "00000000000000000000ffff0a000001")]
    [InlineData("ntop", "20010db8000000000000000000000001", "2001:db8::1")]
    [InlineData("ntop", "00000000000000000000ffff7f000001", "::ffff:127.0.0.1")]
    public async Task ConversionsPrintOneValue(string subcommand, string input, string expected)
    {
        var run = await RunAsync("ip", subcommand, input);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(expected + "\n", run.Stdout);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public async Task PtonFamilyFlagsAreStrict()
    {
        AssertOneLineError(await RunAsync("ip", "pton", "-6", "1.2.3.4"), "1.2.3.4");
        AssertOneLineError(await RunAsync("ip", "pton", "-4", "::1"), "::1");
        Assert.Equal("7f000001\n", (await RunAsync("ip", "pton", "-4", "127.0.0.1")).Stdout);
    }

    [Fact]
    public async Task AtonJsonHasTheBytesAndThe32BitValue()
    {
        var json = Json(await RunAsync("ip", "aton", "192.168.1.2", "--json"));

        Assert.Equal("c0a80102", json.GetProperty("hex").GetString());
        Assert.Equal("192.168.1.2", json.GetProperty("address").GetString());
        Assert.Equal(3232235778, json.GetProperty("value").GetInt64());
        Assert.Equal([192, 168, 1, 2], json.GetProperty("bytes").EnumerateArray().Select(b => b.GetInt32()));
    }

    [Fact]
    public async Task InfoOfASubnetWithHostBitsSaysSo()
    {
        var run = await RunAsync("ip", "info", "192.168.1.5/24");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("private-use", run.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^network:\s+192\.168\.1\.0/24$", run.Stdout);
        Assert.Matches(@"(?m)^host bits set:\s+yes", run.Stdout);
        Assert.Matches(@"(?m)^broadcast:\s+192\.168\.1\.255$", run.Stdout);
        Assert.Matches(@"(?m)^first host:\s+192\.168\.1\.1$", run.Stdout);
        Assert.Matches(@"(?m)^last host:\s+192\.168\.1\.254$", run.Stdout);
        Assert.Matches(@"(?m)^usable hosts:\s+254$", run.Stdout);
    }

    [Theory]
    [InlineData("100.64.1.1", "shared")]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("169.254.1.1", "link-local")]
    [InlineData("255.255.255.255", "limited-broadcast")]
    [InlineData("198.18.0.1", "benchmarking")]
    [InlineData("fd00::1", "unique-local")]
    [InlineData("2002::1", "6to4")]
    [InlineData("8.8.8.8", "global")]
    public async Task InfoJsonNamesTheCategory(string address, string category)
    {
        var json = Json(await RunAsync("ip", "info", address, "--json"));

        Assert.Contains(category, json.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task InfoJsonOfAnIpv6SubnetKeepsHugeCountsExact()
    {
        var json = Json(await RunAsync("ip", "info", "2001:db8::/32", "--json"));
        var subnet = json.GetProperty("subnet");

        Assert.Equal((System.Numerics.BigInteger.One << 96).ToString(CultureInfo.InvariantCulture), subnet.GetProperty("addresses").GetString());
        Assert.False(subnet.GetProperty("hostBitsSet").GetBoolean());
        Assert.Equal(JsonValueKind.Null, subnet.GetProperty("broadcast").ValueKind);
    }
}
