using System.Diagnostics;
using Sockit.Cli.Tests.Infrastructure;
using Sockit.Cli.Tests.Tcp;
using Sockit.Cli.Tests.Tls;

namespace Sockit.Cli.Tests.Exec;

/// <summary><c>sockit listen --exec COMMAND</c> against python3 clients: a <c>/bin/sh -c COMMAND</c> per connection.</summary>
public sealed class ExecListenTests
{
    [Fact]
    public async Task WcCountsWhatTheClientSentBeforeItsFinAndTheCountComesBackBeforeTheServersFin()
    {
        await using var server = await TcpCli.ListenAsync("--exec", "wc -c");
        var target = $"127.0.0.1:{server.Port}";

        var reply = await TlsCli.PythonClientAsync(target, """
            s = connect()
            s.sendall(b'x' * 300000)
            s.shutdown(socket.SHUT_WR)
            print(recv_until_eof(s).decode().strip())
            """);

        Assert.Equal("300000", reply.Trim());
    }

    [Fact]
    public async Task CatCarries20MegabytesBothWaysAtOnceWithoutDeadlock()
    {
        await using var server = await TcpCli.ListenAsync("--exec", "cat");

        var reply = await TlsCli.PythonClientAsync($"127.0.0.1:{server.Port}", """
            import hashlib
            data = os.urandom(20 * 1024 * 1024)
            s = connect()
            s.settimeout(60)
            def send():
                s.sendall(data)
                s.shutdown(socket.SHUT_WR)
            sender = threading.Thread(target=send)
            sender.start()
            got = hashlib.sha256()
            total = 0
            while True:
                chunk = s.recv(1 << 16)
                if not chunk:
                    break
                got.update(chunk)
                total += len(chunk)
            sender.join(60)
            print(total, got.hexdigest() == hashlib.sha256(data).hexdigest())
            """);

        Assert.Equal($"{20 * 1024 * 1024} True", reply.Trim());
    }

    [Fact]
    public async Task TheEnvironmentNamesThePeerAndThisEnd()
    {
        await using var server = await TcpCli.ListenAsync("--exec", """printf '%s %s %s %s\n' "$SOCKIT_PEER_ADDR" "$SOCKIT_PEER_PORT" "$SOCKIT_LOCAL_ADDR" "$SOCKIT_LOCAL_PORT" """);

        var reply = await TlsCli.PythonClientAsync($"127.0.0.1:{server.Port}", """
            s = connect()
            seen = recv_until_eof(s).decode()
            me = s.getsockname()
            print(seen == '%s %d 127.0.0.1 %s\n' % (me[0], me[1], TARGET.rsplit(':', 1)[1]), repr(seen))
            """);

        Assert.StartsWith("True", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChildThatExitsEarlyEndsItsConnectionCleanlyAndTheServerServesTheNext()
    {
        await using var server = await TcpCli.ListenAsync("--exec", "echo bye", "-v");

        for (var i = 0; i < 2; i++)
        {
            var reply = await TlsCli.PythonClientAsync($"127.0.0.1:{server.Port}", """
                s = connect()
                print(recv_until_eof(s).decode(), end='')
                s.close()
                """);
            Assert.Equal("bye\n", reply);
        }

        await server.WaitForStderrLineAsync(l => l.Contains("exited with status 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheChildsStderrLinesArePrefixedWithThePeer()
    {
        await using var server = await TcpCli.ListenAsync("--exec", "echo one >&2; printf 'two\\nthree' >&2");

        var port = (await TlsCli.PythonClientAsync($"127.0.0.1:{server.Port}", """
            s = connect()
            recv_until_eof(s)
            print(s.getsockname()[1])
            """)).Trim();

        foreach (var line in new[] { "one", "two", "three" })
        {
            await server.WaitForStderrLineAsync(l => l == $"127.0.0.1:{port}: {line}");
        }
    }

    [Fact]
    public async Task AChildThatIgnoresSigtermIsKilledAfterTheGraceWhenThePeerResets()
    {
        await using var server = await TcpCli.ListenAsync("--exec", "trap '' TERM; echo $$; while :; do sleep 1; done", "-v");

        var pid = ChildProcesses.ParsePids(await TlsCli.PythonClientAsync($"127.0.0.1:{server.Port}", """
            s = connect()
            print(recv_line(s).decode(), end='')
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
            s.close()
            """)).Single();

        await server.WaitForStderrLineAsync(l => l.Contains($"stopping pid {pid} (", StringComparison.Ordinal) && l.Contains("SIGTERM", StringComparison.Ordinal));
        await server.WaitForStderrLineAsync(l => l.Contains($"pid {pid} still running 3 s after SIGTERM: killed (SIGKILL)", StringComparison.Ordinal));
        await ChildProcesses.WaitUntilGoneAsync([pid], TimeSpan.FromSeconds(20));
        await server.WaitForStderrLineAsync(l => l.Contains($"pid {pid} exited with status 137 (signal 9)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StoppingTheServerStopsEveryChildAndWhatTheyStartedLeavingNoOrphans()
    {
        var server = await TcpCli.ListenAsync("--exec", "sleep 1000 & echo $$ $!; wait");
        await using var _ = server;
        await using var clients = TcpCli.StartPythonClient(server.Port, """
            a, b = connect(), connect()
            print(recv_line(a).decode() + recv_line(b).decode() + 'ready', flush=True)
            recv_until_eof(a)
            recv_until_eof(b)
            print('eof', flush=True)
            """);
        await clients.WaitForStdoutAsync("ready\n");
        var pids = ChildProcesses.ParsePids(clients.Stdout.Replace("ready", "", StringComparison.Ordinal));
        Assert.Equal(4, pids.Length);
        Assert.All(pids, pid => Assert.True(ChildProcesses.IsAlive(pid), $"pid {pid} is not running"));

        server.Terminate();

        Assert.Equal(0, await server.WaitForExitAsync());
        await ChildProcesses.WaitUntilGoneAsync(pids, TimeSpan.FromSeconds(10));
        await clients.WaitForStdoutAsync("eof\n");
    }

    [Fact]
    public async Task ExecWorksOverAUnixSocketWhoseEnvironmentNamesThePath()
    {
        var path = TlsCli.UnixPath();
        await using var server = await TlsCli.ListenUnixAsync("unix:" + path, "--exec", "wc -c; echo \"$SOCKIT_LOCAL_ADDR|$SOCKIT_LOCAL_PORT|\"");

        var reply = await TlsCli.PythonClientAsync("unix:" + path, """
            s = connect()
            s.sendall(b'12345')
            s.shutdown(socket.SHUT_WR)
            print(recv_until_eof(s).decode(), end='')
            """);

        Assert.Equal($"5\n{path}||\n", reply);
    }

    [Fact]
    public async Task ExecWorksOverTls()
    {
        await using var server = await TlsCli.ListenAsync("--exec", "read line; echo \"got $line\"");

        var reply = await TlsCli.PythonClientAsync($"tls:127.0.0.1:{server.Port}", """
            s = connect()
            s.sendall(b'hello\n')
            print(recv_line(s).decode(), end='')
            bye(s)
            """);

        Assert.Equal("got hello\n", reply);
    }

    [Theory]
    [InlineData("--mode", "echo")]
    [InlineData("--framing", "line")]
    [InlineData("--udp")]
    public async Task ExecWithAModeFramingOrUdpIsAOneLineUsageError(params string[] other)
    {
        var run = await SockitProcess.RunAsync(null, ["listen", "127.0.0.1:0", "--exec", "cat", .. other]);

        TcpCli.AssertOneLineFailure(run, 2, "--exec", other[0]);
    }

    [Fact]
    public async Task AnEmptyCommandIsAOneLineUsageError()
    {
        var run = await SockitProcess.RunAsync(null, "listen", "127.0.0.1:0", "--exec", " ");

        TcpCli.AssertOneLineFailure(run, 2, "--exec", "empty");
    }
}
