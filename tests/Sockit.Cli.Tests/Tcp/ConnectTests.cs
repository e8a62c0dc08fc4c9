using Sockit.Cli.Tests.Infrastructure;

namespace Sockit.Cli.Tests.Tcp;

/// <summary><c>sockit connect</c> against python3 servers written the way the course notes write them.</summary>
public sealed class ConnectTests
{
    [Fact]
    public async Task EachStdinLineIsOneStructPackedFrameAndEachReplyFrameIsPrinted()
    {
        await using var server = await TcpCli.PythonServerAsync("""
            conn, addr = listener.accept()
            while True:
                try:
                    payload = recv_frame(conn)
                except EOFError:
                    break
                conn.sendall(frame(payload.upper()))
            conn.close()
            """);

        var (stdout, _) = await TcpCli.ConnectAsync(server.Port, "hello\nworld\n", "--framing", "length");

        Assert.Equal("HELLO\nWORLD\n", stdout);
    }

    [Fact]
    public async Task ConnectTakesOneEndpointArgumentAsWellAsHostAndPort()
    {
        await using var server = await TcpCli.ListenAsync("--mode", "echo");

        var (code, stdout, stderr) = await SockitProcess.RunAsync("one\n", "connect", $"127.0.0.1:{server.Port}");

        Assert.True(code == 0, stderr);
        Assert.Equal("one\n", stdout);
    }

    [Theory]
    [InlineData("<&-", "")]    // stdin closed: read as empty, so FIN goes at once (before: it read a pipe of the runtime's, forever)
    [InlineData(">&-", "")]    // stdout closed: replies discarded, as with >/dev/null
    [InlineData("", "hi\n")]
    public async Task ConnectStartedWithAStandardStreamClosedTreatsItAsEmptyAndFinishes(string redirection, string printed)
    {
        await using var server = await TcpCli.ListenAsync("--mode", "echo");

        var (code, stdout, stderr) = await ExternalTool.RunAsync(
            "sh", ["-c", $"exec \"$0\" connect 127.0.0.1 {server.Port} {redirection}", SockitProcess.ExecutablePath], "hi\n", TimeSpan.FromSeconds(20));

        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.Equal(printed, stdout);
    }

    [Theory]
    [InlineData(2, "port 99999")]                   // a usage error
    [InlineData(1, "connect 127.0.0.1 1")]          // a runtime error (refused)
    [InlineData(0, "ip aton 127.1")]
    public async Task AnyCommandStartedWithStderrClosedKeepsItsExitCode(int expected, string command)
    {
        // Before: the first error or log line was written into a descriptor of the runtime's and the process aborted (134).
        var (code, stdout, _) = await ExternalTool.RunAsync(
            "sh", ["-c", $"exec \"$0\" {command} </dev/null 2>&-", SockitProcess.ExecutablePath], null, TimeSpan.FromSeconds(20));

        Assert.Equal(expected, code);
        Assert.Equal(expected == 0 ? "7f000001\n" : "", stdout);
    }

    [Theory]
    [InlineData("127.0.0.1", "no port")]
    [InlineData("::1", "in brackets, like [::1]:8080")]
    [InlineData("localhost:0", "give a host and a non-zero port")]
    public async Task AnEndpointWithoutAUsablePortIsOneLineAndExitTwo(string endpoint, string mention)
    {
        var run = await SockitProcess.RunAsync(null, "connect", endpoint);

        TcpCli.AssertOneLineFailure(run, 2, $"'{endpoint}'", mention);
    }

    [Fact]
    public async Task AServerThatAnswersOnlyAfterEofIsHeardBecauseConnectHalfCloses()
    {
        // recv returns b'' only once the client sends FIN; a client that closes outright (or never sends FIN,
        // like nc without -N) loses or never gets the answer.
        await using var server = await TcpCli.PythonServerAsync("""
            conn, addr = listener.accept()
            n = len(recv_until_eof(conn))
            conn.sendall(b'got %d bytes\n' % n)
            conn.close()
            """);

        var (stdout, _) = await TcpCli.ConnectAsync(server.Port, "hello world\n");

        Assert.Equal("got 12 bytes\n", stdout);
    }

    [Fact]
    public async Task WaitBoundsHowLongConnectWaitsForAServerThatNeverCloses()
    {
        await using var server = await TcpCli.PythonServerAsync("""
            conn, addr = listener.accept()
            conn.sendall(b'hi\n')
            time.sleep(120)
            """);

        var started = DateTime.UtcNow;
        var (stdout, _) = await TcpCli.ConnectAsync(server.Port, "", "--wait", "3s");
        var elapsed = DateTime.UtcNow - started;

        Assert.Equal("hi\n", stdout);
        Assert.True(elapsed >= TimeSpan.FromSeconds(2.9), $"exited after {elapsed}, before the 3 s wait ran out");
    }

    [Fact]
    public async Task ALineEndingInCarriageReturnIsEchoedIntactByALineEchoServer()
    {
        await using var server = await TcpCli.ListenAsync("--mode", "echo", "--framing", "line");

        // stdin's "ab\r\r\n" is the line "ab\r"; it goes out as "ab\r\r\n" and comes back the same way.
        var (stdout, stderr) = await TcpCli.ConnectAsync(server.Port, "ok\nab\r\r\nnext\n", "--framing", "line");

        Assert.Equal("ok\nab\r\nnext\n", stdout);
        Assert.Equal("", stderr);
    }

    [Fact]
    public async Task ConnectTalksToASockitEchoServer()
    {
        await using var server = await TcpCli.ListenAsync("--mode", "echo", "--framing", "line");

        var (stdout, _) = await TcpCli.ConnectAsync(server.Port, "one\ntwo\nno newline at the end", "--framing", "line");

        Assert.Equal("one\ntwo\nno newline at the end\n", stdout);
    }
}
