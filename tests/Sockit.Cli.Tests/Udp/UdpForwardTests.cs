using System.Text.Json;
using Sockit.Cli.Tests.Infrastructure;
using Sockit.Cli.Tests.Tcp;

namespace Sockit.Cli.Tests.Udp;

/// <summary><c>sockit forward --udp</c> between python3 clients and a python3 echo target: a session per client address.</summary>
public sealed class UdpForwardTests
{
    [Fact]
    public async Task ManyPythonClientsEachGetTheirOwnRepliesThroughTheirOwnSession()
    {
        await using var target = PythonPeer.Start(UdpScripts.EchoTarget);
        var targetPort = await target.ReadLineAsync();
        await using var forward = await StartAsync(targetPort, "-v");

        // 20 sockets, 5 rounds: each reply must carry the client's own datagram and come from the forwarder's port.
        var (code, stdout, stderr) = await ExternalTool.PythonAsync(UdpScripts.ManyPeers, TcpCli.Text(forward.Port), "20", "5");

        Assert.True(code == 0, $"python3 failed ({code}): {stderr}");
        using var result = JsonDocument.Parse(stdout);
        Assert.Equal(100, result.RootElement.GetProperty("answered").GetInt32());
        Assert.Equal(0, result.RootElement.GetProperty("wrong").GetInt32());
        Assert.Equal(0, result.RootElement.GetProperty("missing").GetInt32());
        await WaitForCountAsync(forward, "udp forward: new session for 127.0.0.1:", 20);
    }

    [Fact]
    public async Task AnIdleSessionExpiresAndTheClientsNextDatagramComesFromANewPort()
    {
        await using var target = PythonPeer.Start(UdpScripts.EchoTarget);
        var targetPort = await target.ReadLineAsync();
        await using var forward = await StartAsync(targetPort, "--idle-timeout", "1s", "-v");
        await using var client = PythonPeer.Start(UdpScripts.Client, TcpCli.Text(forward.Port));
        var clientPort = await client.ReadLineAsync();

        await client.CommandAsync("send one");
        Assert.Equal($"one from 127.0.0.1:{forward.Port}", await client.CommandAsync("recv"));
        var first = SourcePort(await target.ReadLineAsync(), "one");
        await forward.WaitForStderrLineAsync(l => l.Contains($"session for 127.0.0.1:{clientPort} expired after 1 s", StringComparison.Ordinal));
        await client.CommandAsync("send two");
        Assert.Equal($"two from 127.0.0.1:{forward.Port}", await client.CommandAsync("recv"));
        var second = SourcePort(await target.ReadLineAsync(), "two");

        Assert.NotEqual(first, second);
        await WaitForCountAsync(forward, $"udp forward: new session for 127.0.0.1:{clientPort}:", 2);
    }

    [Fact]
    public async Task AtTheSessionLimitANewClientsDatagramsAreDroppedAndCountedWhileTheOpenSessionCarriesOn()
    {
        await using var target = PythonPeer.Start(UdpScripts.EchoTarget);
        var targetPort = await target.ReadLineAsync();
        await using var forward = await StartAsync(targetPort, "--max-conns", "1");
        await using var first = PythonPeer.Start(UdpScripts.Client, TcpCli.Text(forward.Port));
        await using var second = PythonPeer.Start(UdpScripts.Client, TcpCli.Text(forward.Port));
        await first.ReadLineAsync();
        await second.ReadLineAsync();

        await first.CommandAsync("send mine");
        Assert.Equal($"mine from 127.0.0.1:{forward.Port}", await first.CommandAsync("recv"));
        await second.CommandAsync("send lost");
        await second.CommandAsync("send lost too");
        var line = await forward.WaitForStderrLineAsync(l => l.Contains("udp forward: dropped", StringComparison.Ordinal));
        await first.CommandAsync("send still here");

        Assert.Equal($"still here from 127.0.0.1:{forward.Port}", await first.CommandAsync("recv"));
        Assert.Contains("datagram(s) (", line, StringComparison.Ordinal);
        Assert.Contains("no session free (1 open, --max-conns 1", line, StringComparison.Ordinal);
        Assert.Matches(@"dropped [12] datagram", line); // both, in one report or two: at most one line a second
    }

    [Fact]
    public async Task HexDumpsEveryDatagramBothWaysWithTheClientAndDirection()
    {
        await using var target = PythonPeer.Start(UdpScripts.EchoTarget);
        var targetPort = await target.ReadLineAsync();
        await using var forward = await StartAsync(targetPort, "--hex");
        await using var client = PythonPeer.Start(UdpScripts.Client, TcpCli.Text(forward.Port));
        var clientPort = await client.ReadLineAsync();

        await client.CommandAsync("send ping");
        Assert.Equal($"ping from 127.0.0.1:{forward.Port}", await client.CommandAsync("recv"));

        var sent = await forward.WaitForStderrLineAsync(l => l.StartsWith("> ", StringComparison.Ordinal));
        Assert.EndsWith($" 127.0.0.1:{clientPort} client>target length=4", sent, StringComparison.Ordinal);
        var back = await forward.WaitForStderrLineAsync(l => l.StartsWith("< ", StringComparison.Ordinal));
        Assert.Contains($" 127.0.0.1:{clientPort} target>client length=", back, StringComparison.Ordinal);
        await forward.WaitForStderrLineAsync(l => l.Contains("70 69 6e 67", StringComparison.Ordinal)); // "ping"
    }

    [Theory]
    [InlineData("127.0.0.1:9", "--framing does not apply to forward --udp", "--framing", "line")]
    [InlineData("127.0.0.1:9", "--allow does not apply to forward --udp", "--allow", "127.0.0.1")]
    [InlineData("127.0.0.1:9", "--timeout does not apply to forward --udp", "--timeout", "5s")]
    [InlineData("unix:/tmp/x.sock", "stream endpoint")]
    [InlineData("127.0.0.1:0", "non-zero port")]
    [InlineData("127.0.0.1:9", "'bogus'", "--idle-timeout", "bogus")]
    [InlineData("127.0.0.1:9", "'0'", "--max-conns", "0")]
    public async Task BadForwardInputIsOneLineAndExitTwo(string targetEndpoint, string mention, params string[] options)
    {
        var run = await SockitProcess.RunAsync(null, ["forward", "--udp", "127.0.0.1:0", targetEndpoint, .. options]);

        TcpCli.AssertOneLineFailure(run, 2, mention);
    }

    private static Task<SockitProcess> StartAsync(string targetPort, params string[] options) =>
        TcpCli.ListeningAsync(SockitProcess.Start(["forward", "--udp", "127.0.0.1:0", $"127.0.0.1:{targetPort}", .. options]));

    /// <summary>The source port in the target's "got TEXT from 127.0.0.1:PORT" line.</summary>
    private static string SourcePort(string line, string text)
    {
        Assert.StartsWith($"got {text} from 127.0.0.1:", line, StringComparison.Ordinal);
        return line[(line.LastIndexOf(':') + 1)..];
    }

    /// <summary>Waits (bounded) until stderr has <paramref name="count"/> lines containing <paramref name="text"/>.</summary>
    private static async Task WaitForCountAsync(SockitProcess process, string text, int count)
    {
        var deadline = DateTime.UtcNow + SockitProcess.DefaultTimeout;
        while (Count(process.Stderr) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"expected {count} lines with '{text}'; stderr:\n{process.Stderr}");
            await Task.Delay(50);
        }

        Assert.Equal(count, Count(process.Stderr));

        int Count(string stderr) => stderr.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));
    }
}
