using Sockit.Cli.Tests.Infrastructure;

namespace Sockit.Cli.Tests.Tcp;

/// <summary>
/// A closed stdout ends <c>connect</c> and <c>listen</c> (stdio) promptly and quietly, as <c>yes | head</c> ends
/// <c>yes</c>: exit 0, no error line. sockit runs under bash as <c>sockit … | head -c 20</c>, its stdin held open by
/// the test, against a peer that never stops sending.
/// </summary>
public sealed class ClosedStdoutTests
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(20);

    /// <summary>bash runs <c>sockit ARGS | head -c 20</c> and then reports sockit's exit status on stderr.</summary>
    private static SockitProcess StartIntoHead(params string[] args) =>
        SockitProcess.StartProgram("bash", ["-c", "\"$@\" | head -c 20; echo \"sockit exited ${PIPESTATUS[0]}\" >&2", "bash", SockitProcess.ExecutablePath, .. args]);

    [Fact]
    public async Task ConnectEndsQuietlyWithExit0WhenItsStdoutIsClosed()
    {
        await using var server = await TcpCli.PythonServerAsync("""
            conn, addr = listener.accept()
            try:
                while True:
                    conn.sendall(b'x' * 65536)
            except OSError:
                pass
            print('client gone', file=sys.stderr, flush=True)
            time.sleep(120)
            """);
        await using var shell = StartIntoHead("connect", "127.0.0.1", TcpCli.Text(server.Port));

        Assert.Equal(0, await shell.WaitForExitAsync(Prompt));

        Assert.Equal(new string('x', 20), shell.Stdout);
        Assert.Equal("sockit exited 0\n", shell.Stderr);
        await server.WaitForStderrLineAsync(l => l == "client gone"); // the connection was closed, not left open
    }

    [Fact]
    public async Task ListenStdioStopsQuietlyWithExit0WhenItsStdoutIsClosed()
    {
        await using var shell = StartIntoHead("listen", "127.0.0.1:0");
        var port = await shell.WaitForListeningPortAsync();
        await using var client = TcpCli.StartPythonClient(port, """
            s = connect()
            try:
                while True:
                    s.sendall(b'y' * 65536)
            except OSError:
                pass
            print('server gone')
            """);

        Assert.Equal(0, await shell.WaitForExitAsync(Prompt));

        Assert.Equal(new string('y', 20), shell.Stdout);
        var lines = shell.Stderr.TrimEnd('\n').Split('\n');
        Assert.True(lines is [_, "sockit exited 0"], $"expected the listening line and exit 0, got:\n{shell.Stderr}");
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Equal("server gone\n", client.Stdout);
    }
}
