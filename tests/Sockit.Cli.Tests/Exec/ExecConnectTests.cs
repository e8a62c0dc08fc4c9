using Sockit.Cli.Tests.Infrastructure;
using Sockit.Cli.Tests.NetworkFacts;
using Sockit.Cli.Tests.Tcp;

namespace Sockit.Cli.Tests.Exec;

/// <summary><c>sockit connect HOST PORT --exec COMMAND</c>: the child talks to the server; the exit status is the child's.</summary>
public sealed class ExecConnectTests
{
    [Fact]
    public async Task TheChildTalksToTheServerHalfClosesAndItsExitStatusIsTheCommands()
    {
        await using var server = await TcpCli.PythonServerAsync("""
            c, _ = listener.accept()
            c.settimeout(20)
            c.sendall(b'3 4\n')
            c.shutdown(socket.SHUT_WR)
            print(recv_until_eof(c).decode(), end='', flush=True)
            c.close()
            """);

        var run = await SockitProcess.RunAsync(null, "connect", "127.0.0.1", TcpCli.Text(server.Port), "--exec", "read a b; echo $((a + b)); echo note >&2; exit 3");

        Assert.True(run.ExitCode == 3, $"exit {run.ExitCode}; stderr:\n{run.Stderr}");
        Assert.Equal("", run.Stdout);
        Assert.Equal($"127.0.0.1:{server.Port}: note\n", run.Stderr);
        Assert.Equal(0, await server.WaitForExitAsync());
        Assert.Equal("7\n", server.Stdout);
    }

    [Fact]
    public async Task ARefusedConnectionIsOneLineAndExit1AndNoChildRuns()
    {
        var port = FactsCli.ClosedPort();
        var marker = Path.Combine(Path.GetTempPath(), $"sockit-exec-{Guid.NewGuid():N}");
        var run = await SockitProcess.RunAsync(null, "connect", "127.0.0.1", TcpCli.Text(port), "--exec", $"touch {marker}");

        TcpCli.AssertOneLineFailure(run, 1, "refused");
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task AServerResetStopsTheChildAndExits1WithOneLine()
    {
        await using var server = await TcpCli.PythonServerAsync("""
            c, _ = listener.accept()
            c.settimeout(20)
            assert recv_line(c) == b'ready\n'
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
            c.close()
            """);

        var run = await SockitProcess.RunAsync(null, "connect", "127.0.0.1", TcpCli.Text(server.Port), "--exec", "echo ready; exec sleep 1000");

        TcpCli.AssertOneLineFailure(run, 1, "reset");
    }
}
