using System.Globalization;
using Sockit.Cli.Tests.Infrastructure;

namespace Sockit.Cli.Tests.Udp;

public sealed class UdpInteropTests
{
    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("hello\nworld\n", 2, "HELLO\nWORLD\n")]
    [InlineData("no newline at the end", 1, "NO NEWLINE AT THE END\n")]
    public async Task ConnectSendsEachLineAsADatagramToAPythonServerAndPrintsTheReplies(string stdin, int lines, string replies)
    {
        await using var python = PythonPeer.Start(UdpScripts.UpperCaseServer, Text(lines));
        var port = await python.ReadLineAsync();

        var (code, stdout, stderr) = await SockitProcess.RunAsync(stdin, "connect", "--udp", "127.0.0.1", port, "--wait", "3s");

        Assert.Equal(0, code);
        Assert.Equal(replies, stdout);
        Assert.Equal("", stderr);
        foreach (var line in stdin.TrimEnd('\n').Split('\n'))
        {
            Assert.StartsWith($"got b'{line}' from 127.0.0.1:", await python.ReadLineAsync(), StringComparison.Ordinal);
        }

        Assert.Equal("done", await python.ReadLineAsync());
    }

    [Fact]
    public async Task ConnectSendsFromTheSourceAddressAndPortGivenWithMinusFour()
    {
        await using var python = PythonPeer.Start(UdpScripts.UpperCaseServer, "1");
        var port = await python.ReadLineAsync();
        int free;
        using (var probe = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0)))
        {
            free = ((System.Net.IPEndPoint)probe.Client.LocalEndPoint!).Port;
        }

        var (code, stdout, stderr) = await SockitProcess.RunAsync("hi\n", "connect", "--udp", "127.0.0.1", port, "-4", "--source", $"127.0.0.1:{Text(free)}", "--wait", "3s");

        Assert.True(code == 0, stderr);
        Assert.Equal("HI\n", stdout);
        Assert.Equal($"got b'hi' from 127.0.0.1:{Text(free)}", await python.ReadLineAsync());
    }

    [Fact]
    public async Task ListenPrintsEachPythonDatagramWithItsSenderAndRepliesToTheLastPeer()
    {
        await using var udp = await UdpListener.StartAsync();
        var (python, pythonPort) = await udp.AddPythonPeerAsync();

        await python.CommandAsync("send hello");
        await udp.Server.WaitForStdoutAsync($"[127.0.0.1:{pythonPort}] hello\n");
        await udp.Server.StandardInput.WriteLineAsync("hi python");
        await udp.Server.StandardInput.FlushAsync();
        var reply = await python.CommandAsync("recv");

        Assert.Equal($"hi python from 127.0.0.1:{udp.Port}", reply);
    }

    [Fact]
    public async Task ToAllSendsEachStdinLineToEveryPeer()
    {
        await using var udp = await UdpListener.StartAsync("--to-all");
        var (first, firstPort) = await udp.AddPythonPeerAsync();
        var (second, secondPort) = await udp.AddPythonPeerAsync();

        await first.CommandAsync("send one");
        await second.CommandAsync("send two");
        await udp.Server.WaitForStdoutAsync($"[127.0.0.1:{firstPort}] one\n");
        await udp.Server.WaitForStdoutAsync($"[127.0.0.1:{secondPort}] two\n");
        await udp.Server.StandardInput.WriteLineAsync("to everyone");
        await udp.Server.StandardInput.FlushAsync();

        Assert.Equal($"to everyone from 127.0.0.1:{udp.Port}", await first.CommandAsync("recv"));
        Assert.Equal($"to everyone from 127.0.0.1:{udp.Port}", await second.CommandAsync("recv"));
    }

    [Fact]
    public async Task HexDumpsEveryDatagramInAndOutToStderrAsTcpDoes()
    {
        await using var udp = await UdpListener.StartAsync("--mode", "echo", "--hex");
        var (python, pythonPort) = await udp.AddPythonPeerAsync();

        await python.CommandAsync("sendhex 00ff41");
        var echoed = await python.CommandAsync("recv");
        await udp.Server.WaitForStderrLineAsync(l => l.StartsWith($"> ", StringComparison.Ordinal) && l.Contains($"to 127.0.0.1:{pythonPort} offset=0 length=3", StringComparison.Ordinal));

        Assert.Equal($"\0\\xffA from 127.0.0.1:{udp.Port}", echoed);
        Assert.Contains($"from 127.0.0.1:{pythonPort} offset=0 length=3", udp.Server.Stderr, StringComparison.Ordinal);
        Assert.Contains("00 ff 41", udp.Server.Stderr, StringComparison.Ordinal);
        Assert.Equal("", udp.Server.Stdout);
    }

    [Fact]
    public async Task LineFramingSplitsOneDatagramIntoLines()
    {
        await using var udp = await UdpListener.StartAsync("--framing", "line");
        var (python, pythonPort) = await udp.AddPythonPeerAsync();

        await python.CommandAsync("sendhex 610a620a63"); // "a\nb\nc"
        await udp.Server.WaitForStdoutAsync($"[127.0.0.1:{pythonPort}] c\n");

        Assert.Equal($"[127.0.0.1:{pythonPort}] a\n[127.0.0.1:{pythonPort}] b\n[127.0.0.1:{pythonPort}] c\n", udp.Server.Stdout);
    }

    [Fact]
    public async Task SinkCountsDatagramsBytesAndGapsPerPeerAndReportsOnCtrlC()
    {
        await using var udp = await UdpListener.StartAsync("--mode", "sink", "-v");
        var (python, pythonPort) = await udp.AddPythonPeerAsync();

        foreach (var n in new[] { 1, 2, 3, 5, 6, 7 }) // 4 never sent: one gap
        {
            await python.CommandAsync($"send {n}");
        }

        // One socket, one queue: once a second peer's first datagram has been read, so have all of the first's.
        var (sentinel, sentinelPort) = await udp.AddPythonPeerAsync();
        await sentinel.CommandAsync("send end");
        await udp.Server.WaitForStderrLineAsync(l => l.Contains($"first datagram from 127.0.0.1:{sentinelPort}", StringComparison.Ordinal));
        udp.Server.Interrupt();
        var code = await udp.Server.WaitForExitAsync();

        Assert.Equal(0, code);
        Assert.Contains($"127.0.0.1:{pythonPort}  6 datagrams  6 bytes  1 gaps  0 late", udp.Server.Stdout, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{sentinelPort}  1 datagrams  3 bytes  - gaps  - late", udp.Server.Stdout, StringComparison.Ordinal);
        Assert.Contains("total  2 peers  7 datagrams  9 bytes  1 gaps", udp.Server.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerboseConnectSaysAnIcmpPortUnreachableCameBack()
    {
        var dead = Text(DeadPort());

        var (code, _, stderr) = await SockitProcess.RunAsync("anyone there?\n", "connect", "--udp", "127.0.0.1", dead, "--wait", "2s", "-v");

        // -v narrates (no handshake; what the ICMP error means), and the failure is still its own line, exit 1.
        Assert.Equal(1, code);
        Assert.Contains("ICMP port unreachable came back: nothing listens", stderr, StringComparison.Ordinal);
        Assert.Contains("no handshake", stderr, StringComparison.Ordinal);
        Assert.Contains("(connection refused)", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectToAClosedUdpPortIsOneLineAndExit1WithoutVerbose()
    {
        var dead = Text(DeadPort());

        // A long --wait: only the ICMP port unreachable can end the run early (no stdin EOF race decides the outcome).
        var run = await SockitProcess.RunAsync("anyone there?\n", "connect", "--udp", "127.0.0.1", dead, "--wait", "20s");

        var line = Sockit.Cli.Tests.Tcp.TcpCli.AssertOneLineFailure(run, 1, $"127.0.0.1:{dead}", "port unreachable");
        Assert.Contains("refused", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectToAnAnsweringUdpServerStillExitsZero()
    {
        await using var python = PythonPeer.Start(UdpScripts.UpperCaseServer, "1");
        var port = await python.ReadLineAsync();

        var (code, stdout, stderr) = await SockitProcess.RunAsync("ping\n", "connect", "--udp", "127.0.0.1", port, "--wait", "2s");

        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.Equal("PING\n", stdout);
    }

    private static int DeadPort()
    {
        using var s = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        s.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)s.LocalEndPoint!).Port;
    }
}
