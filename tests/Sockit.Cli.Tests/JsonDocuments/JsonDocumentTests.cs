using System.Text.Json;
using Sockit.Cli.Tests.Files;
using Sockit.Cli.Tests.Infrastructure;
using static Sockit.Cli.Tests.JsonDocuments.JsonDocs;
using static Sockit.Cli.Tests.NetworkFacts.FactsCli;

namespace Sockit.Cli.Tests.JsonDocuments;

/// <summary>
/// Every command's <c>--json</c> output parses, has the values the run implies, and has exactly the fields of its
/// example in docs/json.md (so the page cannot drift from the records that produce the output).
/// </summary>
public sealed class JsonDocumentTests
{
    private static string Text(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task HostJsonHasTheDocumentedShapeAndTheLoopbackInterface()
    {
        var json = Json(await RunAsync("host", "--json"));

        AssertShapeAsDocumented("sockit host", json);
        var lo = json.GetProperty("interfaces").EnumerateArray().Single(i => i.GetProperty("type").GetString() == "Loopback");
        Assert.True(lo.GetProperty("up").GetBoolean());
        Assert.Contains(lo.GetProperty("addresses").EnumerateArray(), a =>
            a.GetProperty("address").GetString() == "127.0.0.1" && a.GetProperty("prefixLength").GetInt32() == 8 && a.GetProperty("family").GetString() == "ipv4");
    }

    [Theory]
    [InlineData("aton", "192.168.1.2", "sockit ip aton", "192.168.1.2")]
    [InlineData("ntoa", "c0a80102", "sockit ip aton", "192.168.1.2")]
    [InlineData("pton", "192.168.1.2", "sockit ip aton", "192.168.1.2")]
    [InlineData("ntop", "20010db8000000000000000000000001", "sockit ip ntop", "2001:db8::1")]
    public async Task IpConversionJsonHasTheDocumentedShape(string conversion, string value, string documentedAs, string address)
    {
        var run = await RunAsync("ip", conversion, value, "--json");
        var json = Json(run);

        AssertShapeAsDocumented(documentedAs, json);
        Assert.Contains("\"python\": \"b'", run.Stdout, StringComparison.Ordinal); // every document (bench's too) writes ' as it is, not \u0027
        Assert.Equal(value, json.GetProperty("input").GetString());
        Assert.Equal(address, json.GetProperty("address").GetString());
        Assert.Equal(address.Contains(':', StringComparison.Ordinal) ? 16 : 4, json.GetProperty("bytes").GetArrayLength());
    }

    [Theory]
    [InlineData("192.168.1.5/24", "sockit ip info 192.168.1.5/24")]
    [InlineData("::ffff:10.0.0.1", "sockit ip info ::ffff:10.0.0.1")]
    public async Task IpInfoJsonHasTheDocumentedShape(string value, string documentedAs)
    {
        var json = Json(await RunAsync("ip", "info", value, "--json"));

        AssertShapeAsDocumented(documentedAs, json);
        Assert.Equal(json.TryGetProperty("subnet", out _), value.Contains('/', StringComparison.Ordinal));
    }

    [Fact]
    public async Task PortJsonHasTheDocumentedShape()
    {
        var json = Json(await RunAsync("port", "6379", "--json"));

        AssertShapeAsDocumented("sockit port", json);
        Assert.Equal(6379, json.GetProperty("port").GetInt32());
        Assert.Equal("registered", json.GetProperty("range").GetString());
    }

    [Fact]
    public async Task ResolveAllJsonHasTheDocumentedShapeAndWithoutAllNoReverseName()
    {
        var all = Json(await RunAsync("resolve", "localhost", "-4", "--all", "--json"));
        var plain = Json(await RunAsync("resolve", "localhost", "-4", "--json"));

        AssertShapeAsDocumented("sockit resolve", all);
        Assert.Equal(Shape(all).Where(p => !p.EndsWith(".reverseName", StringComparison.Ordinal)), Shape(plain));
    }

    [Fact]
    public async Task TcpPingJsonHasTheDocumentedShapeAndStatusWords()
    {
        using var listener = Listen();
        var closed = ClosedPort();

        var open = Json(await RunAsync("ping", "127.0.0.1", "-p", Text(Port(listener)), "-c", "2", "-i", "50ms", "--json"));
        var refused = Json(await RunAsync("ping", "127.0.0.1", "-p", Text(closed), "-c", "1", "--json"));

        AssertShapeAsDocumented("sockit ping", open);
        Assert.Equal(Port(listener), open.GetProperty("port").GetInt32());
        Assert.All(open.GetProperty("probes").EnumerateArray(), p => Assert.Equal("open", p.GetProperty("status").GetString()));
        Assert.Equal("closed", refused.GetProperty("probes")[0].GetProperty("status").GetString());
        Assert.Equal(100, refused.GetProperty("lossPercent").GetDouble());
    }

    [SkippableFact]
    public async Task AnIcmpProbeThatTimesOutSaysTimedOutInTheSameWordsAsTcp()
    {
        var (usable, _, _) = await ExternalTool.RunAsync("unshare", ["-rn", "true"], "");
        Skip.If(usable != 0, "unshare -rn (a user and network namespace) is not available here");

        // A private network namespace where only lo exists and 192.0.2.1 (TEST-NET-1) is routed into it: the echo
        // request goes nowhere, nothing leaves the machine, and the probe times out. ICMP sockets are allowed for gid 0.
        var (code, stdout, stderr) = await ExternalTool.RunAsync("unshare", ["-rn", "sh", "-c", $"""
            ip link set lo up && echo '0 0' > /proc/sys/net/ipv4/ping_group_range && ip route add 192.0.2.1/32 dev lo \
              && '{SockitProcess.ExecutablePath}' ping 192.0.2.1 -c 1 -W 200ms --json && exit 9
            '{SockitProcess.ExecutablePath}' ping 192.0.2.1 -c 1 -W 200ms
            """], "");

        Assert.True(code == 1, stderr);
        var json = JsonDocument.Parse(stdout[..(stdout.IndexOf("\n}", StringComparison.Ordinal) + 2)]).RootElement;
        Assert.Equal("timed-out", json.GetProperty("probes")[0].GetProperty("status").GetString()); // not .NET's "TimedOut"
        Assert.Equal("icmp", json.GetProperty("mode").GetString());
        Assert.False(json.TryGetProperty("port", out _));
        Assert.Matches(@"(?m)^no reply from 192\.0\.2\.1: seq=1 timed out after \d+\.\d+ ms$", stdout);
    }

    [Fact]
    public async Task ScanJsonHasTheDocumentedShape()
    {
        using var listener = Listen();
        var closed = ClosedPort();

        var json = Json(await RunAsync("scan", "127.0.0.1", $"{Port(listener)},{closed}", "--json"));

        AssertShapeAsDocumented("sockit scan", json);
        var ports = json.GetProperty("ports").EnumerateArray().ToArray();
        Assert.Equal(new[] { Port(listener), closed }.Order(), ports.Select(p => p.GetProperty("port").GetInt32())); // ascending, whatever the order asked
        Assert.Equal("open", ports.Single(p => p.GetProperty("port").GetInt32() == Port(listener)).GetProperty("state").GetString());
        Assert.Equal("closed", ports.Single(p => p.GetProperty("port").GetInt32() == closed).GetProperty("state").GetString());
    }

    [Fact]
    public async Task BenchJsonHasTheDocumentedShape()
    {
        await using var server = SockitProcess.Start("listen", "127.0.0.1:0", "--mode", "echo");
        var port = await server.WaitForListeningPortAsync();

        var run = await SockitProcess.RunAsync(null, "bench", "127.0.0.1", Text(port), "--duration", "300ms", "--warmup", "0s", "--conns", "2", "--json");

        Assert.True(run.ExitCode == 0, run.Stderr);
        var json = Json(run);
        AssertShapeAsDocumented("sockit bench", json);
        Assert.True(json.GetProperty("ok").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("errors").GetProperty("first").ValueKind);
    }

    [Fact]
    public async Task SendJsonIsOneDocumentAndReceiveJsonOneLinePerSessionWithAnIpv4Peer()
    {
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");
        var tree = scratch.Make("tree");
        File.WriteAllText(Path.Join(tree, "notes.txt"), "hello\n");
        File.CreateSymbolicLink(Path.Join(tree, "passwd-link"), "/etc/passwd");

        // A bare port listens dual-stack: an IPv4 sender must still be named 127.0.0.1:PORT, never [::ffff:127.0.0.1]:PORT.
        await using var receiver = SockitProcess.Start("receive", "0", "--dir", inbox, "--overwrite", "--json");
        var port = await receiver.WaitForListeningPortAsync();
        var first = await FilesCli.SendAsync(port, tree, "--json");
        var second = await FilesCli.SendAsync(port, tree, "--json");
        await receiver.WaitForStderrLineAsync(l => l.Contains("received", StringComparison.Ordinal) && receiver.Stdout.Count(c => c == '\n') >= 2);
        receiver.Interrupt();
        await receiver.WaitForExitAsync();

        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.True(second.ExitCode == 0, second.Stderr);
        var sent = Json(first);
        AssertShapeAsDocumented("sockit send", sent);
        Assert.Equal("skipped", sent.GetProperty("problems")[0].GetProperty("status").GetString());
        var lines = receiver.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        foreach (var line in lines)
        {
            using var document = JsonDocument.Parse(line);
            var session = document.RootElement;
            AssertShapeAsDocumented("sockit receive", session);
            Assert.Matches(@"^127\.0\.0\.1:\d+$", session.GetProperty("peer").GetString());
            Assert.Equal(2, session.GetProperty("verified").GetInt32()); // the tree and notes.txt
        }
    }
}
