using Sockit.Cli.Tests.Infrastructure;

namespace Sockit.Cli.Tests.Tcp;

/// <summary><c>sockit connect</c> against python3 servers written the way the course notes write them.</summary>
public sealed class ConnectTests
{
    [Fact]
    public async Task EachStdinLineIsOneStructPackedFrameAndEachReplyFrameIsPrinted()
    {
        var (server, port) = await TcpCli.PythonServerAsync("""
            conn, addr = listener.accept()
            while True:
                try:
                    payload = recv_frame(conn)
                except EOFError:
                    break
                conn.sendall(frame(payload.upper()))
            conn.close()
            """);
        await using var _ = server;

        var (code, stdout, stderr) = await SockitProcess.RunAsync("hello\nworld\n", "connect", "127.0.0.1", TcpCli.Text(port), "--framing", "length");

        Assert.True(code == 0, stderr);
        Assert.Equal("HELLO\nWORLD\n", stdout);
    }

    [Fact]
    public async Task AServerThatAnswersOnlyAfterEofIsHeardBecauseConnectHalfCloses()
    {
        // recv returns b'' only once the client sends FIN; a client that closes outright (or never sends FIN,
        // like nc without -N) loses or never gets the answer.
        var (server, port) = await TcpCli.PythonServerAsync("""
            conn, addr = listener.accept()
            n = len(recv_until_eof(conn))
            conn.sendall(b'got %d bytes\n' % n)
            conn.close()
            """);
        await using var _ = server;

        var (code, stdout, stderr) = await SockitProcess.RunAsync("hello world\n", "connect", "127.0.0.1", TcpCli.Text(port));

        Assert.True(code == 0, stderr);
        Assert.Equal("got 12 bytes\n", stdout);
    }

    [Fact]
    public async Task WaitBoundsHowLongConnectWaitsForAServerThatNeverCloses()
    {
        var (server, port) = await TcpCli.PythonServerAsync("""
            conn, addr = listener.accept()
            conn.sendall(b'hi\n')
            time.sleep(120)
            """);
        await using var _ = server;

        var started = DateTime.UtcNow;
        var (code, stdout, stderr) = await SockitProcess.RunAsync("", "connect", "127.0.0.1", TcpCli.Text(port), "--wait", "3s");
        var elapsed = DateTime.UtcNow - started;

        Assert.True(code == 0, stderr);
        Assert.Equal("hi\n", stdout);
        Assert.True(elapsed >= TimeSpan.FromSeconds(2.9), $"exited after {elapsed}, before the 3 s wait ran out");
    }

    [Fact]
    public async Task ConnectTalksToASockitEchoServer()
    {
        var (server, port) = await TcpCli.ListenAsync("--mode", "echo", "--framing", "line");
        await using var _ = server;

        var (code, stdout, stderr) = await SockitProcess.RunAsync("one\ntwo\nno newline at the end", "connect", "127.0.0.1", TcpCli.Text(port), "--framing", "line");

        Assert.True(code == 0, stderr);
        Assert.Equal("one\ntwo\nno newline at the end\n", stdout);
    }
}
