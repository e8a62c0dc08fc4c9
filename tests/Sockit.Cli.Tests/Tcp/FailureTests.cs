using Sockit.Cli.Tests.Infrastructure;
using Sockit.Cli.Tests.NetworkFacts;

namespace Sockit.Cli.Tests.Tcp;

/// <summary>What <c>listen</c> and <c>connect</c> say and return when things go wrong, and how a server stops.</summary>
public sealed class FailureTests
{
    [Fact]
    public async Task ConnectToAClosedPortIsOneLineSayingRefusedAndExit1()
    {
        var closedPort = FactsCli.ClosedPort();

        var run = await SockitProcess.RunAsync("ping\n", "connect", "127.0.0.1", TcpCli.Text(closedPort));

        TcpCli.AssertOneLineFailure(run, 1, "refused", $"127.0.0.1:{closedPort}");
    }

    [Fact]
    public async Task ConnectToAnUnknownHostIsOneLineAndExit1()
    {
        var run = await SockitProcess.RunAsync("", "connect", "no-such-host.invalid", "7");

        TcpCli.AssertOneLineFailure(run, 1, "no-such-host.invalid");
    }

    [Fact]
    public async Task AServerThatResetsTheConnectionIsOneLineSayingResetAndExit1()
    {
        await using var server = await TcpCli.PythonServerAsync("""
            conn, addr = listener.accept()
            recv_line(conn)
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
            conn.close()  # with SO_LINGER 0, close sends RST instead of FIN
            time.sleep(120)
            """);
        await using var client = SockitProcess.Start("connect", "127.0.0.1", TcpCli.Text(server.Port));

        await client.WriteInputAsync("hello\n"); // stdin stays open: connect is still talking when the RST comes
        var code = await client.WaitForExitAsync();

        TcpCli.AssertOneLineFailure((code, client.Stdout, client.Stderr), 1, "connection reset by peer");
    }

    [Theory]
    [InlineData("conn.close()")]
    [InlineData("conn.shutdown(socket.SHUT_WR)  # its FIN reaches connect before the reset\nconn.close()")]
    // connect stops at the FIN and hands its last bytes to the kernel well before the reset comes: it must still
    // wait for them to be taken, and so hear the reset, instead of exiting 0 with the data lost.
    [InlineData("conn.shutdown(socket.SHUT_WR)\ntime.sleep(1)\nconn.close()")]
    public async Task AServerThatClosesWhileConnectStillSendsIsOneLineSayingBrokenPipeOrResetAndExit1(string close)
    {
        await using var server = await TcpCli.PythonServerAsync($"""
            import fcntl, termios
            conn, addr = listener.accept()
            recv_exactly(conn, 1000)
            # Close only once the receive buffer is full (what waits unread stops growing): connect is then blocked
            # with data its kernel still holds, which ours can no longer take, so the close must reach it as a reset.
            # (Data our kernel had already acknowledged would be lost where no socket can tell: TCP has no signal for it.)
            def unread():
                return struct.unpack('i', fcntl.ioctl(conn, termios.FIONREAD, b'\0' * 4))[0]
            deadline = time.time() + 20
            last = -1
            while (unread() < 32 * 1024 or unread() != last) and time.time() < deadline:
                last = unread()
                time.sleep(0.2)
            {close}
            time.sleep(120)
            """);

        // bash's status is the last command's: sockit's.
        await using var client = SockitProcess.StartProgram(
            "bash", "-c", "head -c 20000000 /dev/zero 2>/dev/null | \"$@\"", "bash", SockitProcess.ExecutablePath, "connect", "127.0.0.1", TcpCli.Text(server.Port));
        var code = await client.WaitForExitAsync();

        var line = TcpCli.AssertOneLineFailure((code, client.Stdout, client.Stderr), 1, $"127.0.0.1:{server.Port}");
        Assert.True(line.Contains("broken pipe", StringComparison.Ordinal) || line.Contains("connection reset by peer", StringComparison.Ordinal), line);
    }

    [Fact]
    public async Task AServerThatClosesEndsAnInteractiveConnectAtOnceWithExit0()
    {
        await using var server = await TcpCli.PythonServerAsync("""
            conn, addr = listener.accept()
            recv_line(conn)
            conn.sendall(b'bye\n')
            conn.close()
            time.sleep(120)
            """);
        await using var client = SockitProcess.Start("connect", "127.0.0.1", TcpCli.Text(server.Port));

        await client.WriteInputAsync("hello\n"); // and stdin stays open, as at a terminal

        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Equal("bye\n", client.Stdout);
        Assert.Equal("", client.Stderr);
    }

    [Fact]
    public async Task AConnectThatGetsNoHandshakeTimesOutWithOneLineAndExit1()
    {
        // Linux drops SYNs while a listener's accept queue is full: fill it with connections nobody accepts
        // until one of them hangs, and only then let the test connect.
        await using var server = await TcpCli.PythonServerAsync(
            """
            listener.listen(0)
            fillers = []
            while len(fillers) < 16:
                f = socket.socket()
                f.settimeout(0.3)
                fillers.append(f)
                try:
                    f.connect(('127.0.0.1', listener.getsockname()[1]))
                except socket.timeout:
                    break
            announce()
            time.sleep(120)
            """,
            announceFirst: false);

        var run = await SockitProcess.RunAsync("", "connect", "127.0.0.1", TcpCli.Text(server.Port), "--timeout", "1s");

        TcpCli.AssertOneLineFailure(run, 1, "timed out after 1 s", $"127.0.0.1:{server.Port}");
    }

    [Fact]
    public async Task ConnectToPort70000IsBadUsageAndExit2()
    {
        var run = await SockitProcess.RunAsync("", "connect", "127.0.0.1", "70000");

        TcpCli.AssertOneLineFailure(run, 2, "'70000'");
    }

    [Fact]
    public async Task ListenOnAPortInUseIsOneLineSayingAddressAlreadyInUseAndExit1()
    {
        await using var server = await TcpCli.ListenAsync("--mode", "echo");

        var run = await SockitProcess.RunAsync(null, "listen", $"127.0.0.1:{server.Port}");

        TcpCli.AssertOneLineFailure(run, 1, "address already in use", $"127.0.0.1:{server.Port}");
    }

    [Theory]
    [InlineData("listen", "127.0.0.1:0")]
    [InlineData("connect", "127.0.0.1", "7")]
    public async Task AnUnknownFramingIsExit2NamingItAndListingWhatIsAccepted(params string[] command)
    {
        var run = await SockitProcess.RunAsync(null, [.. command, "--framing", "foo"]);

        TcpCli.AssertOneLineFailure(run, 2, "'foo'", "raw", "line", "delim:", "length", "varint", "fixed:");
    }

    [Fact]
    public async Task ChatWithAFramingOtherThanLineIsExit2()
    {
        var run = await SockitProcess.RunAsync(null, "listen", "127.0.0.1:0", "--mode", "chat", "--framing", "length");

        TcpCli.AssertOneLineFailure(run, 2, "chat speaks line framing", "'length:u32be'");
    }

    [Fact]
    public async Task AStdinLineTheFramingCannotCarryIsOneLineAndExit2()
    {
        await using var server = await TcpCli.ListenAsync("--mode", "echo", "--framing", "delim:\\0");

        var run = await SockitProcess.RunAsync("a\0b\n", "connect", "127.0.0.1", TcpCli.Text(server.Port), "--framing", "delim:\\0");

        var line = TcpCli.AssertOneLineFailure(run, 2);
        Assert.Equal("sockit: the payload contains the delimiter of delim:\\0 framing, so it would arrive as more than one frame", line);
    }

    [Theory]
    [InlineData("listen", "127.0.0.1:0")]
    [InlineData("connect", "127.0.0.1", "7")]
    public async Task AMaxFrameThatIsNotASizeIsExit2NamingIt(params string[] command)
    {
        var run = await SockitProcess.RunAsync(null, [.. command, "--max-frame", "abc"]);

        TcpCli.AssertOneLineFailure(run, 2, "'abc'");
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task SigintOrSigtermStopsAListeningServerCleanlyWithExit0AndClosesItsClients(string signal)
    {
        await using var server = await TcpCli.ListenAsync("--mode", "echo", "-v");
        await using var client = TcpCli.StartPythonClient(server.Port, """
            s = connect()
            s.sendall(b'still here')
            print(recv_exactly(s, 10).decode())
            s.settimeout(60)
            print('then %r' % recv_until_eof(s))
            """);
        await client.WaitForStdoutAsync("still here\n");

        if (signal == "INT")
        {
            server.Interrupt();
        }
        else
        {
            server.Terminate();
        }

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
        await using var server = await TcpCli.ListenAsync("--mode", "echo", "--framing", "length", "--max-frame", "16");

        var stdout = await TcpCli.PythonClientAsync(server.Port, """
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
        await using var server = await TcpCli.ListenAsync("--mode", "echo", "--framing", "length", "--max-frame", "16", "--on-bad-frame", "skip");

        var stdout = await TcpCli.PythonClientAsync(server.Port, """
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
