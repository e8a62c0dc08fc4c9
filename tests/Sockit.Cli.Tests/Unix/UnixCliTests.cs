using Sockit.Cli.Tests.Infrastructure;
using Sockit.Cli.Tests.Tcp;
using Sockit.Cli.Tests.Tls;

namespace Sockit.Cli.Tests.Unix;

/// <summary><c>sockit listen unix:…</c> and <c>sockit connect unix:…</c> against python3 AF_UNIX peers and socat.</summary>
public sealed class UnixCliTests
{
    [Fact]
    public async Task EchoOverAPathServesConnectSocatAndPythonAndNamesThePeersPid()
    {
        var path = TlsCli.UnixPath();
        await using var server = await TlsCli.ListenUnixAsync("unix:" + path, "--mode", "echo", "-v");

        var connect = await TlsCli.RunAsync("from connect\n", "connect", "unix:" + path);
        Assert.True(connect.ExitCode == 0, connect.Stderr);
        Assert.Equal("from connect\n", connect.Stdout);

        var socat = await ExternalTool.RunAsync("socat", ["-", "UNIX-CONNECT:" + path], "from socat\n");
        Assert.True(socat.ExitCode == 0, socat.Stderr);
        Assert.Equal("from socat\n", socat.Stdout);

        var pid = await TlsCli.PythonClientAsync("unix:" + path, """
            s = connect()
            s.sendall(b'from python\n')
            assert recv_line(s) == b'from python\n'
            s.close()
            print(os.getpid())
            """);
        await server.WaitForStderrLineAsync(l => l.Contains($"accepted unix peer (pid {pid.Trim()}, uid ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConnectTalksToAPythonUnixServerAndHalfCloses()
    {
        var path = TlsCli.UnixPath();
        await using var server = TlsCli.StartPython(path, """
            l = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            l.bind(TARGET)
            l.listen(1)
            print('ready', flush=True)
            l.settimeout(20)
            c, _ = l.accept()
            c.settimeout(20)
            data = recv_until_eof(c)
            c.sendall(data.upper())
            c.close()
            os.unlink(TARGET)
            """);
        await server.WaitForStdoutAsync("ready\n");

        var run = await TlsCli.RunAsync("shout\n", "connect", "unix:" + path);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("SHOUT\n", run.Stdout);
        Assert.Equal(0, await server.WaitForExitAsync());
    }

    [Fact]
    public async Task AbstractNamesWorkBothWays()
    {
        var name = "@sockit-test-" + Guid.NewGuid().ToString("N")[..12];
        await using (var server = await TlsCli.ListenUnixAsync("unix:" + name, "--mode", "echo"))
        {
            var connect = await TlsCli.RunAsync("abstract\n", "connect", "unix:" + name);
            Assert.True(connect.ExitCode == 0, connect.Stderr);
            Assert.Equal("abstract\n", connect.Stdout);

            Assert.Equal("python abstract\n", await TlsCli.PythonClientAsync("unix:" + name, """
                s = connect()
                s.sendall(b'python abstract\n')
                print(recv_line(s).decode(), end='')
                """));
        }

        var other = name + "-py";
        await using var python = TlsCli.StartPython(other, """
            l = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            l.bind(unix_address(TARGET))
            l.listen(1)
            print('ready', flush=True)
            l.settimeout(20)
            c, _ = l.accept()
            c.settimeout(20)
            c.sendall(recv_until_eof(c)[::-1])
            c.close()
            """);
        await python.WaitForStdoutAsync("ready\n");

        var run = await TlsCli.RunAsync("abc", "connect", "unix:" + other);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("cba", run.Stdout);
    }

    [Fact]
    public async Task AStaleSocketFileIsReplaced()
    {
        var path = TlsCli.UnixPath();
        await TlsCli.PythonClientAsync(path, """
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.bind(TARGET)
            s.close()  # the file stays, nothing listens: a stale socket
            """);
        Assert.True(File.Exists(path));

        await using var server = await TlsCli.ListenUnixAsync("unix:" + path, "--mode", "echo");

        var run = await TlsCli.RunAsync("fresh\n", "connect", "unix:" + path);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("fresh\n", run.Stdout);
    }

    [Fact]
    public async Task APathWithALiveServerIsRefusedAndTheFirstServerKeepsServing()
    {
        var path = TlsCli.UnixPath();
        await using var server = await TlsCli.ListenUnixAsync("unix:" + path, "--mode", "echo");

        var second = await TlsCli.RunAsync("", "listen", "unix:" + path, "--mode", "echo");

        TcpCli.AssertOneLineFailure(second, 1, "unix:" + path, "a server is already listening there");
        var run = await TlsCli.RunAsync("still\n", "connect", "unix:" + path);
        Assert.Equal("still\n", run.Stdout);
    }

    [Fact]
    public async Task ARegularFileIsRefusedAndLeftIntact()
    {
        var path = TlsCli.UnixPath();
        await File.WriteAllTextAsync(path, "precious\n");
        try
        {
            var run = await TlsCli.RunAsync("", "listen", "unix:" + path, "--mode", "echo");

            TcpCli.AssertOneLineFailure(run, 1, "unix:" + path, "the path exists and is not a socket");
            Assert.Equal("precious\n", await File.ReadAllTextAsync(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task TheSocketFileIsRemovedWhenTheServerStopsOnASignal(string signal)
    {
        var path = TlsCli.UnixPath();
        await using var server = await TlsCli.ListenUnixAsync("unix:" + path, "--mode", "echo");
        Assert.True(File.Exists(path));

        server.Signal(signal);

        Assert.Equal(0, await server.WaitForExitAsync());
        Assert.False(File.Exists(path), "the socket file is still there");
    }

    [Fact]
    public async Task ConnectingToAPathThatDoesNotExistIsOneClearLine()
    {
        var run = await TlsCli.RunAsync("", "connect", "unix:/no/such/dir/sockit.sock");

        TcpCli.AssertOneLineFailure(run, 1, "cannot connect to unix:/no/such/dir/sockit.sock", "no such socket file");
    }

    [Theory]
    [InlineData("--allow", "127.0.0.0/8")]
    [InlineData("--deny", "10.0.0.0/8")]
    [InlineData("--max-conns-per-ip", "3")]
    [InlineData("--udp")]
    public async Task IpOnlyOptionsOnAUnixListenerAreUsageErrors(params string[] option)
    {
        var path = TlsCli.UnixPath();

        var run = await TlsCli.RunAsync("", ["listen", "unix:" + path, .. option]);

        TcpCli.AssertOneLineFailure(run, 2, option[0]);
        Assert.False(File.Exists(path));
    }
}
