using System.Net.Sockets;
using System.Text;
using Sockit.Connections;
using Sockit.Framing;
using Sockit.Services;

namespace Sockit.Tests.Connections;

/// <summary>
/// Unix domain sockets against real peers (python's AF_UNIX sockets, socat): peer credentials, the abstract
/// namespace both ways, what happens to the socket file (stale, live, not a socket, removed on stop), and the
/// messages for a missing path and a forbidden one.
/// </summary>
public sealed class UnixSocketTests : IDisposable
{
    // Prints its pid, connects, sends a line, prints the echo.
    private const string PythonClient = """
        import os, socket, sys
        print(os.getpid())
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(30)
        path = sys.argv[1]
        s.connect('\0' + path[1:] if path.startswith('@') else path)
        s.sendall(b'hello from python\n')
        got = b''
        while not got.endswith(b'\n'):
            chunk = s.recv(4096)
            if not chunk:
                break
            got += chunk
        print(got.decode().rstrip('\n'))
        """;

    // Binds (a path, or @name for the abstract namespace), prints 'ready', serves one client: answers each line
    // in upper case until the client's end of stream, then closes. The file is left behind on purpose.
    private const string PythonServer = """
        import socket, sys
        path = sys.argv[1]
        ls = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        ls.bind('\0' + path[1:] if path.startswith('@') else path)
        ls.listen(1)
        ls.settimeout(30)
        print('ready')
        if len(sys.argv) > 2 and sys.argv[2] == 'exit':
            sys.exit(0)
        conn, _ = ls.accept()
        conn.settimeout(30)
        buf = b''
        while True:
            chunk = conn.recv(4096)
            if not chunk:
                break
            buf += chunk
            while b'\n' in buf:
                line, buf = buf.split(b'\n', 1)
                conn.sendall(line.upper() + b'\n')
        conn.close()
        print('done')
        """;

    private readonly UnixDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static SocketServer StartServer(string path, IConnectionHandler handler)
    {
        var server = new SocketServer(new SocketServerOptions { EndPoint = ConnectionEndpoint.Unix(path).ToUnixEndPoint() }, handler);
        server.Start();
        return server;
    }

    [Fact]
    public async Task PythonClientIsServedAndKnownByItsProcessId()
    {
        var path = _dir.PathOf();
        var recording = new RecordingHandler(new EchoService(FrameSpec.Line));
        await using var server = StartServer(path, recording);
        await using var python = PeerProcess.StartPython(PythonClient, path);

        var pid = int.Parse(await python.ReadLineAsync(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("hello from python", await python.ReadLineAsync());
        Assert.Equal(0, await python.WaitForExitAsync());

        var connection = Assert.IsType<SocketConnection>(await recording.First.WithTimeout());
        Assert.Equal(pid, connection.PeerCredentials?.ProcessId);
        Assert.Equal(0, connection.PeerCredentials?.UserId); // these tests run as root
        Assert.StartsWith($"unix peer (pid {pid}, uid ", connection.ToString(), StringComparison.Ordinal);
        Assert.Equal($"unix:{path}", Connection.Describe(connection.LocalEndPoint));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ConnectorTalksToAPythonServer(bool useAbstractName)
    {
        var path = useAbstractName ? "@" + UnixDir.AbstractName() : _dir.PathOf("py.sock");
        await using var python = PeerProcess.StartPython(PythonServer, path);
        Assert.Equal("ready", await python.ReadLineAsync());

        await using var client = await SocketConnector.ConnectAsync(ConnectionEndpoint.Parse("unix:" + path), Loopback.Timeout).WithTimeout();
        Assert.Equal("unix:" + path, Connection.Describe(client.RemoteEndPoint));
        await client.WriteSplitAsync("shout this\nand this\n"u8.ToArray(), new Random(3), maxPiece: 3);
        await client.Output.CompleteAsync();

        Assert.Equal("SHOUT THIS\nAND THIS\n", Encoding.ASCII.GetString(await client.ReadToEndAsync()));
        Assert.Equal("done", await python.ReadLineAsync());
        Assert.Equal(0, await python.WaitForExitAsync());
    }

    [Fact]
    public async Task ServerOnAnAbstractNameServesAPythonClientAndLeavesNoFile()
    {
        var name = UnixDir.AbstractName();
        await using var server = StartServer("@" + name, new EchoService(FrameSpec.Line));
        Assert.Equal("unix:@" + name, Connection.Describe(server.LocalEndPoint));
        await using var python = PeerProcess.StartPython(PythonClient, "@" + name);

        await python.ReadLineAsync(); // pid
        Assert.Equal("hello from python", await python.ReadLineAsync());
        Assert.Equal(0, await python.WaitForExitAsync());
        Assert.False(File.Exists("@" + name));
        Assert.False(File.Exists(name));
    }

    [Fact]
    public async Task AStaleSocketFileIsReplaced()
    {
        var path = _dir.PathOf();
        await using (var python = PeerProcess.StartPython(PythonServer, path, "exit"))
        {
            Assert.Equal("ready", await python.ReadLineAsync());
            Assert.Equal(0, await python.WaitForExitAsync());
        }

        Assert.True(File.Exists(path), "python left its socket file behind");
        await using var server = StartServer(path, new EchoService(FrameSpec.Line));
        await using var client = await SocketConnector.ConnectAsync(ConnectionEndpoint.Unix(path), Loopback.Timeout).WithTimeout();
        await client.WriteAsync("served on a reclaimed path\n");
        Assert.Equal("served on a reclaimed path", await client.Lines().ReadLineAsync());
    }

    [Fact]
    public async Task APathWithALiveServerIsRefusedAndTheFirstServerKeepsServing()
    {
        var path = _dir.PathOf();
        await using var first = StartServer(path, new EchoService(FrameSpec.Line));

        var error = Assert.Throws<ConnectionException>(() => StartServer(path, new EchoService(FrameSpec.Line)));

        Assert.Contains("already listening", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        await using var client = await SocketConnector.ConnectAsync(ConnectionEndpoint.Unix(path), Loopback.Timeout).WithTimeout();
        await client.WriteAsync("still here\n");
        Assert.Equal("still here", await client.Lines().ReadLineAsync());
    }

    [Fact]
    public void ARegularFileAtThePathIsRefusedAndLeftIntact()
    {
        var path = _dir.PathOf();
        File.WriteAllText(path, "precious");

        var error = Assert.Throws<ConnectionException>(() => StartServer(path, new EchoService(FrameSpec.Line)));

        Assert.Contains("not a socket", error.Message, StringComparison.Ordinal);
        Assert.Equal("precious", File.ReadAllText(path));
    }

    [Fact]
    public async Task TheSocketFileIsRemovedOnStop()
    {
        var path = _dir.PathOf();
        var server = StartServer(path, new EchoService(FrameSpec.Line));
        Assert.True(File.Exists(path));

        await server.StopAsync().WithTimeout();

        Assert.False(File.Exists(path));
        await server.DisposeAsync();
    }

    [Fact]
    public async Task SocatGetsItsLineEchoed()
    {
        var path = _dir.PathOf();
        await using var server = StartServer(path, new EchoService(FrameSpec.Line));
        // -t 30: after stdin's end socat half-closes and waits (up to 30 s, not its default 0.5 s) for our end.
        await using var socat = PeerProcess.Start("/usr/bin/socat", "-t", "30", "-", "UNIX-CONNECT:" + path);

        await socat.WriteAsync("hello socat\n");
        socat.CloseInput();

        Assert.Equal("hello socat", await socat.ReadLineAsync());
        Assert.Null(await socat.ReadLineOrNullAsync());
        Assert.Equal(0, await socat.WaitForExitAsync());
    }

    [Fact]
    public async Task ConnectingToAMissingPathSaysTheSocketFileDoesNotExist()
    {
        var path = _dir.PathOf("nobody-here.sock");

        var error = await Assert.ThrowsAsync<ConnectionException>(() => SocketConnector.ConnectAsync(ConnectionEndpoint.Unix(path), Loopback.Timeout).WithTimeout());

        Assert.Equal($"cannot connect to unix:{path}: no such socket file (is the server running?)", error.Message);
        Assert.Equal(ConnectionErrorKind.Refused, error.Kind);
    }

    [Fact]
    public async Task ConnectingToAStaleSocketFileSaysNothingIsListening()
    {
        var path = _dir.PathOf();
        await using (var python = PeerProcess.StartPython(PythonServer, path, "exit")) // .NET would unlink its file on dispose
        {
            Assert.Equal("ready", await python.ReadLineAsync());
            Assert.Equal(0, await python.WaitForExitAsync());
        }

        var error = await Assert.ThrowsAsync<ConnectionException>(() => SocketConnector.ConnectAsync(ConnectionEndpoint.Unix(path), Loopback.Timeout).WithTimeout());

        Assert.Equal(ConnectionErrorKind.Refused, error.Kind);
        Assert.Contains("connection refused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ListeningInAMissingDirectorySaysSo()
    {
        var path = _dir.PathOf("no-such-dir/s.sock");

        var error = Assert.Throws<ConnectionException>(() => StartServer(path, new EchoService(FrameSpec.Line)));

        Assert.Equal($"cannot listen on unix:{path}: the socket file's directory does not exist", error.Message);
    }

    [Fact]
    public async Task ConnectingToAnUnknownAbstractNameSaysNothingIsListening()
    {
        var error = await Assert.ThrowsAsync<ConnectionException>(() =>
            SocketConnector.ConnectAsync(ConnectionEndpoint.Parse("unix:@" + UnixDir.AbstractName()), Loopback.Timeout).WithTimeout());

        Assert.Equal(ConnectionErrorKind.Refused, error.Kind);
        Assert.Contains("connection refused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PermissionDeniedOnAUnixSocketNamesTheFileMode()
    {
        // The connector's text for EACCES (root, which runs these tests, is never refused by mode bits).
        var error = ConnectionException.From(SocketError.AccessDenied, "unix:/run/app.sock", "connect to");

        Assert.Equal(ConnectionErrorKind.AccessDenied, error.Kind);
        Assert.Equal("cannot connect to unix:/run/app.sock: permission denied (the socket file's mode, or its directory's, does not let this user in)", error.Message);
    }

    [SkippableFact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task AnotherUserIsRefusedByTheSocketFilesModeAndServedWhenItAllows()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && Environment.UserName == "root" && File.Exists("/usr/sbin/runuser"), "needs Linux, root and runuser to act as nobody");
        var path = _dir.PathOf();
        await using var server = StartServer(path, new EchoService(FrameSpec.Line));

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite); // 0600
        await using (var refused = PeerProcess.Start("/usr/sbin/runuser", "-u", "nobody", "--", PeerProcess.Python, "-u", "-c", PythonClient, path))
        {
            await refused.ReadLineAsync(); // pid
            Assert.NotEqual(0, await refused.WaitForExitAsync());
            Assert.Contains("PermissionError", refused.Errors, StringComparison.Ordinal);
            Assert.Contains("Permission denied", refused.Errors, StringComparison.Ordinal);
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite); // 0606
        await using var served = PeerProcess.Start("/usr/sbin/runuser", "-u", "nobody", "--", PeerProcess.Python, "-u", "-c", PythonClient, path);
        await served.ReadLineAsync(); // pid
        Assert.Equal("hello from python", await served.ReadLineAsync());
        Assert.Equal(0, await served.WaitForExitAsync());
    }
}
