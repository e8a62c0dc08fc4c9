namespace Sockit.Cli.Tests.Tcp;

/// <summary><c>--max-conns</c> and <c>--idle-timeout</c> from the command line.</summary>
public sealed class LimitTests
{
    [Fact]
    public async Task AClientOverMaxConnsIsResetAtOnceAndTheFirstKeepsWorking()
    {
        await using var server = await TcpCli.ListenAsync("--mode", "echo", "--max-conns", "1");

        var stdout = await TcpCli.PythonClientAsync(server.Port, """
            first = connect()
            first.sendall(b'one')
            assert recv_exactly(first, 3) == b'one'  # accepted and served: it holds the only slot
            try:
                second = connect()
                print('second got %r' % recv_until_eof(second))
            except ConnectionResetError:
                print('second was reset')
            first.sendall(b'two')
            print(recv_exactly(first, 3).decode())
            """);

        Assert.Equal("second was reset\ntwo\n", stdout);
        await server.WaitForStderrLineAsync(l => l.Contains("connection limit of 1 reached; reset at once", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnIdleClientIsClosedAfterTheIdleTimeout()
    {
        await using var server = await TcpCli.ListenAsync("--mode", "echo", "--idle-timeout", "2s", "-v");

        var stdout = await TcpCli.PythonClientAsync(server.Port, """
            s = connect()
            s.sendall(b'hi')
            assert recv_exactly(s, 2) == b'hi'
            print(recv_until_eof(s))  # says nothing more: the server closes it after 2 s
            """);

        Assert.Equal("b''\n", stdout);
        await server.WaitForStderrLineAsync(l => l.Contains("closed (idle for 2 s (idle timeout)); 2 bytes in, 2 bytes out", StringComparison.Ordinal));
    }
}
