using Sockit.Cli.Tests.Infrastructure;
using Sockit.Cli.Tests.NetworkFacts;

namespace Sockit.Cli.Tests.Tcp;

/// <summary>What <c>listen</c> and <c>connect</c> say and return when things go wrong, and how a server stops.</summary>
public sealed class FailureTests
{
    [Fact]
    public async Task ConnectToAClosedPortIsOneLineSayingRefusedAndExit1()
    {
        var port = FactsCli.ClosedPort();

        var (code, stdout, stderr) = await SockitProcess.RunAsync("ping\n", "connect", "127.0.0.1", TcpCli.Text(port));

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        var line = TcpCli.OneLine(stderr);
        Assert.Contains("refused", line, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectToAnUnknownHostIsOneLineAndExit1()
    {
        var (code, stdout, stderr) = await SockitProcess.RunAsync("", "connect", "no-such-host.invalid", "7");

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Contains("no-such-host.invalid", TcpCli.OneLine(stderr), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerThatResetsTheConnectionIsOneLineSayingResetAndExit1()
    {
        var (server, port) = await TcpCli.PythonServerAsync("""
            conn, addr = listener.accept()
            recv_line(conn)
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
            conn.close()  # with SO_LINGER 0, close sends RST instead of FIN
            time.sleep(120)
            """);
        await using var _ = server;
        await using var client = SockitProcess.Start("connect", "127.0.0.1", TcpCli.Text(port));

        await client.StandardInput.WriteAsync("hello\n"); // stdin stays open: connect is still talking when the RST comes
        await client.StandardInput.FlushAsync();

        Assert.Equal(1, await client.WaitForExitAsync());
        Assert.Equal("", client.Stdout);
        Assert.Contains("connection reset by peer", TcpCli.OneLine(client.Stderr), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectToPort70000IsBadUsageAndExit2()
    {
        var (code, stdout, stderr) = await SockitProcess.RunAsync("", "connect", "127.0.0.1", "70000");

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("70000", TcpCli.OneLine(stderr), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListenOnAPortInUseIsOneLineSayingAddressAlreadyInUseAndExit1()
    {
        var (server, port) = await TcpCli.ListenAsync("--mode", "echo");
        await using var _ = server;

        var (code, stdout, stderr) = await SockitProcess.RunAsync(null, "listen", $"127.0.0.1:{port}");

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        var line = TcpCli.OneLine(stderr);
        Assert.Contains("address already in use", line, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("listen", "127.0.0.1:0")]
    [InlineData("connect", "127.0.0.1", "7")]
    public async Task AnUnknownFramingIsExit2NamingItAndListingWhatIsAccepted(params string[] command)
    {
        var (code, stdout, stderr) = await SockitProcess.RunAsync(null, [.. command, "--framing", "foo"]);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var line = TcpCli.OneLine(stderr);
        Assert.Contains("'foo'", line, StringComparison.Ordinal);
        foreach (var accepted in new[] { "raw", "line", "delim:", "length", "varint", "fixed:" })
        {
            Assert.Contains(accepted, line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AStdinLineTheFramingCannotCarryIsOneLineAndExit2()
    {
        var (server, port) = await TcpCli.ListenAsync("--mode", "echo", "--framing", "delim:\\0");
        await using var _ = server;

        var (code, _, stderr) = await SockitProcess.RunAsync("a\0b\n", "connect", "127.0.0.1", TcpCli.Text(port), "--framing", "delim:\\0");

        Assert.Equal(2, code);
        Assert.Equal("sockit: the payload contains the delimiter of delim:\\0 framing, so it would arrive as more than one frame", TcpCli.OneLine(stderr));
    }

    [Theory]
    [InlineData("listen", "127.0.0.1:0")]
    [InlineData("connect", "127.0.0.1", "7")]
    public async Task AMaxFrameThatIsNotASizeIsExit2NamingIt(params string[] command)
    {
        var (code, stdout, stderr) = await SockitProcess.RunAsync(null, [.. command, "--max-frame", "abc"]);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("'abc'", TcpCli.OneLine(stderr), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SigintStopsAListeningServerCleanlyWithExit0AndClosesItsClients()
    {
        var (server, port) = await TcpCli.ListenAsync("--mode", "echo", "-v");
        await using var _ = server;
        await using var client = TcpCli.StartPythonClient(port, """
            s = connect()
            s.sendall(b'still here')
            print(recv_exactly(s, 10).decode())
            s.settimeout(60)
            print('then %r' % recv_until_eof(s))
            """);
        await client.WaitForStdoutAsync("still here\n");

        server.Interrupt();

        Assert.Equal(0, await server.WaitForExitAsync());
        Assert.Contains("stopping: no new connections", server.Stderr, StringComparison.Ordinal);
        Assert.Contains("closed (the server is stopping)", server.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", server.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", server.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Equal("still here\nthen b''\n", client.Stdout); // an orderly FIN, not a reset
    }

    [Fact]
    public async Task AnOversizeLengthHeaderDisconnectsThatClientWhileAnotherKeepsWorking()
    {
        var (server, port) = await TcpCli.ListenAsync("--mode", "echo", "--framing", "length", "--max-frame", "16");
        await using var _ = server;

        var stdout = await TcpCli.PythonClientAsync(port, """
            good = connect()
            good.sendall(frame(b'before'))
            assert recv_frame(good) == b'before'
            bad = connect()
            bad.sendall(struct.pack('!I', 1000) + b'x' * 10)
            try:
                print('bad client got %r' % recv_until_eof(bad))
            except ConnectionResetError:
                print('bad client got reset')
            good.sendall(frame(b'after'))
            print(recv_frame(good).decode())
            """);

        Assert.Contains(stdout, new[] { "bad client got b''\nafter\n", "bad client got reset\nafter\n" });
        await server.WaitForStderrLineAsync(l => l.Contains("length header of 1000 exceeds the maximum frame size of 16", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithOnBadFrameSkipTheFrameAfterAnOversizeOneIsEchoed()
    {
        var (server, port) = await TcpCli.ListenAsync("--mode", "echo", "--framing", "length", "--max-frame", "16", "--on-bad-frame", "skip");
        await using var _ = server;

        var stdout = await TcpCli.PythonClientAsync(port, """
            s = connect()
            s.sendall(frame(b'y' * 20) + frame(b'next'))
            print(recv_frame(s).decode())
            s.sendall(frame(b'z' * 1000))
            s.sendall(frame(b'and on'))
            print(recv_frame(s).decode())
            """);

        Assert.Equal("next\nand on\n", stdout);
    }
}
