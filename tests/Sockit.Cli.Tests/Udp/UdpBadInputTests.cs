using Sockit.Cli.Tests.Infrastructure;

namespace Sockit.Cli.Tests.Udp;

public sealed class UdpBadInputTests
{
    private static void AssertOneLine(string stderr, string expected)
    {
        Assert.StartsWith("sockit: ", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADatagramOverTheLimitIsRefusedWithExitCode2()
    {
        var (code, stdout, stderr) = await SockitProcess.RunAsync(new string('x', 17) + "\n",
            "connect", "--udp", "127.0.0.1", "9", "--max-frame", "16");

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        AssertOneLine(stderr, "a datagram of 17 bytes exceeds the maximum datagram size of 16 bytes");
    }

    [Fact]
    public async Task ALineLargerThanAnyUdpDatagramIsRefusedWithExitCode2()
    {
        var (code, _, stderr) = await SockitProcess.RunAsync(new string('x', 70_000) + "\n", "connect", "--udp", "127.0.0.1", "9");

        Assert.Equal(2, code);
        AssertOneLine(stderr, "a datagram of 70000 bytes exceeds the maximum datagram size of 65527 bytes");
    }

    [Fact]
    public async Task ListenReportsADatagramOverTheLimitAsTruncatedAndCarriesOn()
    {
        await using var udp = await UdpListener.StartAsync("--max-frame", "4");
        var (python, pythonPort) = await udp.AddPythonPeerAsync();

        await python.CommandAsync("send toolong");
        await python.CommandAsync("send ok");
        await udp.Server.WaitForStdoutAsync($"[127.0.0.1:{pythonPort}] ok\n");

        Assert.Contains($"[127.0.0.1:{pythonPort}] tool\n", udp.Server.Stdout, StringComparison.Ordinal);
        Assert.Contains($"a datagram from 127.0.0.1:{pythonPort} was larger than 4 bytes: truncated", udp.Server.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("70000", "listen", "--udp", "127.0.0.1:70000")]
    [InlineData("70000", "connect", "--udp", "127.0.0.1", "70000")]
    [InlineData("chat", "listen", "--udp", "127.0.0.1:0", "--mode", "chat")]
    [InlineData("broker", "listen", "--udp", "127.0.0.1:0", "--mode", "broker")]
    [InlineData("--udp", "connect", "127.0.0.1", "9", "--broadcast")]
    [InlineData("--udp", "connect", "127.0.0.1", "9", "--group", "239.1.2.3")]
    [InlineData("--udp", "listen", "127.0.0.1:0", "--to-all")]
    [InlineData("10.0.0.1", "connect", "--udp", "239.1.2.3", "9", "--group", "10.0.0.1")]
    [InlineData("239.1.2.3%no-such-interface", "connect", "--udp", "239.1.2.3", "9", "--group", "239.1.2.3%no-such-interface")]
    [InlineData("'127.0.0.1' has no IPv6 address", "connect", "--udp", "127.0.0.1", "9", "-6")]
    [InlineData("the source address ::1 is IPv6", "connect", "--udp", "127.0.0.1", "9", "--source", "::1", "-4")]
    [InlineData("--crlf is not supported with --udp", "connect", "--udp", "127.0.0.1", "9", "--crlf")]
    [InlineData("--idle-timeout is not supported with --udp", "connect", "--udp", "127.0.0.1", "9", "--idle-timeout", "1s")]
    [InlineData("--group", "connect", "--udp", "239.1.2.3", "9", "--group", "239.1.2.3", "--source", "127.0.0.1")]
    public async Task BadUsageIsOneLineNamingTheValueAndExitCode2(string named, params string[] args)
    {
        var (code, _, stderr) = await SockitProcess.RunAsync("", args);

        Assert.Equal(2, code);
        AssertOneLine(stderr, named);
    }

    [Fact]
    public async Task AnUnknownHostIsANetworkFailureWithExitCode1()
    {
        var (code, _, stderr) = await SockitProcess.RunAsync("hello\n", "connect", "--udp", "no-such-host.invalid", "9");

        Assert.Equal(1, code);
        AssertOneLine(stderr, "no-such-host.invalid");
    }

    [Fact]
    public async Task ASourceAddressThisHostLacksIsOneLineAndExitCode1()
    {
        // 192.0.2.1 (TEST-NET-1, RFC 5737) is no address of this host: bind(2) fails before anything is sent.
        var (code, _, stderr) = await SockitProcess.RunAsync("hello\n", "connect", "--udp", "127.0.0.1", "9", "--source", "192.0.2.1");

        Assert.Equal(1, code);
        AssertOneLine(stderr, "cannot bind the source address 192.0.2.1:0: address not available on this host");
    }
}
