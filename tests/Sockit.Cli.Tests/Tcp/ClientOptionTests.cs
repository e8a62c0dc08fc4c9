using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Sockit.Cli.Tests.Infrastructure;

namespace Sockit.Cli.Tests.Tcp;

/// <summary><c>connect</c>'s client options against python3 servers: <c>-4</c>/<c>-6</c>, <c>--source</c>, <c>--crlf</c>, <c>--idle-timeout</c>.</summary>
public sealed class ClientOptionTests
{
    /// <summary>
    /// Listens on 127.0.0.1:PORT and [::1]:PORT (one port number, found by trying), announces the port, accepts one
    /// client on either and prints which family it came in on.
    /// </summary>
    private const string DualLoopbackServer = """
        import select, socket, sys
        for attempt in range(50):
            v4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            v4.bind(('127.0.0.1', 0))
            port = v4.getsockname()[1]
            v6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
            v6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                v6.bind(('::1', port))
                break
            except OSError:
                v4.close()
                v6.close()
        v4.listen(5)
        v6.listen(5)
        print('listening on 127.0.0.1:%d' % port, file=sys.stderr, flush=True)
        ready, _, _ = select.select([v4, v6], [], [], 20)
        conn, addr = ready[0].accept()
        print('family=%s peer=%s' % ('ipv4' if ready[0] is v4 else 'ipv6', addr[0]), flush=True)
        conn.close()
        """;

    [Theory]
    [InlineData("localhost", "-4", "family=ipv4 peer=127.0.0.1")]
    [InlineData("::1", "-6", "family=ipv6 peer=::1")]
    public async Task TheFamilyOptionPicksTheListenerOfThatFamily(string host, string family, string seen)
    {
        await using var server = await StartDualLoopbackServerAsync();

        var (code, _, stderr) = await SockitProcess.RunAsync("", "connect", host, TcpCli.Text(server.Port), family);

        Assert.True(code == 0, $"exit {code}: {stderr}");
        await server.WaitForStdoutAsync(seen);
    }

    [Fact]
    public async Task MinusSixToLocalhostReachesTheIPv6ListenerOrSaysLocalhostHasNoIPv6Address()
    {
        await using var server = await StartDualLoopbackServerAsync();
        var hasIPv6 = (await Dns.GetHostAddressesAsync("localhost")).Any(a => a.AddressFamily == AddressFamily.InterNetworkV6);

        var run = await SockitProcess.RunAsync("", "connect", "localhost", TcpCli.Text(server.Port), "-6");

        if (hasIPv6)
        {
            Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}");
            await server.WaitForStdoutAsync("family=ipv6 peer=::1");
        }
        else
        {
            // Some systems (containers) map localhost to 127.0.0.1 only: -6 must not fall back to IPv4.
            TcpCli.AssertOneLineFailure(run, 1, "'localhost'", "no IPv6 address");
        }
    }

    [Fact]
    public async Task SourceAddressIsThePeerAddressThePythonServerSees()
    {
        await using var server = await TcpCli.PythonServerAsync("""
            conn, addr = listener.accept()
            print('peer=%s:%d' % addr, flush=True)
            conn.close()
            """);

        var (code, _, stderr) = await SockitProcess.RunAsync("", "connect", "127.0.0.1", TcpCli.Text(server.Port), "--source", "127.0.0.2");

        Assert.True(code == 0, $"exit {code}: {stderr}");
        await server.WaitForStdoutAsync("peer=127.0.0.2:");
    }

    [Fact]
    public async Task SourceAddressAndPortAreBothUsed()
    {
        await using var server = await TcpCli.PythonServerAsync("""
            conn, addr = listener.accept()
            print('peer=%s:%d' % addr, flush=True)
            conn.close()
            """);
        var free = FreeTcpPort();

        var (code, _, stderr) = await SockitProcess.RunAsync("", "connect", "127.0.0.1", TcpCli.Text(server.Port), "--source", $"127.0.0.1:{free}", "-v");

        Assert.True(code == 0, $"exit {code}: {stderr}");
        await server.WaitForStdoutAsync($"peer=127.0.0.1:{free}\n");
        Assert.Contains($"from 127.0.0.1:{free}", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HELO x\nQUIT\n", "raw", "b'HELO x\\r\\nQUIT\\r\\n'")]
    [InlineData("HELO x\r\nQUIT", "raw", "b'HELO x\\r\\nQUIT'")]          // CRLF already there stays; no line end is added
    [InlineData("HELO x\nQUIT", "line", "b'HELO x\\r\\nQUIT\\r\\n'")]      // line framing: every line ends CRLF
    public async Task CrlfSendsLineEndsAsCarriageReturnLineFeed(string stdin, string framing, string received)
    {
        await using var server = await TcpCli.PythonServerAsync("""
            conn, addr = listener.accept()
            print(repr(recv_until_eof(conn)), flush=True)
            conn.close()
            """);

        var (code, _, stderr) = await SockitProcess.RunAsync(stdin, "connect", "127.0.0.1", TcpCli.Text(server.Port), "--crlf", "--framing", framing);

        Assert.True(code == 0, $"exit {code}: {stderr}");
        await server.WaitForStdoutAsync(received + "\n");
    }

    [Fact]
    public async Task IdleTimeoutClosesASilentConnectionWithFinAndExitsZero()
    {
        await using var server = await TcpCli.PythonServerAsync("""
            conn, addr = listener.accept()
            print('got %r' % recv_until_eof(conn), flush=True)
            conn.close()
            """);

        // stdin stays open: only the idle timeout can end this run.
        await using var connect = SockitProcess.Start("connect", "127.0.0.1", TcpCli.Text(server.Port), "--idle-timeout", "1s", "-v");
        await connect.WriteInputAsync("hello\n");
        var clock = Stopwatch.StartNew();
        var code = await connect.WaitForExitAsync();

        Assert.True(code == 0, $"exit {code}: {connect.Stderr}");
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"closed after {clock.Elapsed}, before the idle timeout");
        Assert.Contains("idle for 1 s", connect.Stderr, StringComparison.Ordinal);
        await server.WaitForStdoutAsync("got b'hello\\n'\n"); // a clean end of stream, after the data
    }

    [Theory]
    [InlineData("bogus", "--source", "bogus")]
    [InlineData("127.0.0.1:70000", "--source", "127.0.0.1:70000")]
    [InlineData("127.1", "--source", "127.1")]
    [InlineData("[127.0.0.1]:80", "--source", "[127.0.0.1]:80")]
    [InlineData("bogus", "--idle-timeout", "bogus")]
    [InlineData("0", "--idle-timeout", "0")]
    [InlineData("--crlf", "--framing", "length", "--crlf")]
    [InlineData("-4 and -6", "-4", "-6")]
    [InlineData("IPv6", "--source", "::1", "-4")]
    public async Task BadClientOptionsAreOneLineAndExitTwo(string mention, params string[] options)
    {
        var run = await SockitProcess.RunAsync(null, ["connect", "127.0.0.1", "9", .. options]);

        TcpCli.AssertOneLineFailure(run, 2, mention);
    }

    [Fact]
    public async Task MinusFourWithAnIPv6LiteralIsOneLineAndExitTwo()
    {
        var run = await SockitProcess.RunAsync(null, "connect", "::1", "9", "-4");

        TcpCli.AssertOneLineFailure(run, 2, "'::1'", "IPv6");
    }

    [Fact]
    public async Task ClientOptionsOnAUnixSocketAreOneLineAndExitTwo()
    {
        var run = await SockitProcess.RunAsync(null, "connect", "unix:/tmp/sockit-none.sock", "--source", "127.0.0.1");

        TcpCli.AssertOneLineFailure(run, 2, "--source", "unix:");
    }

    private static Task<SockitProcess> StartDualLoopbackServerAsync() =>
        TcpCli.ListeningAsync(SockitProcess.StartProgram("python3", "-c", DualLoopbackServer));

    private static int FreeTcpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
