using Sockit.Cli.Tests.Tcp;
using Sockit.Cli.Tests.Tls;
using static Sockit.Cli.Tests.Forward.ForwardCli;

namespace Sockit.Cli.Tests.Forward;

/// <summary><c>sockit forward</c> over TCP against python3 peers and <c>sockit listen</c>: bulk, half-close, resets, a failing target, limits.</summary>
public sealed class ForwardRelayTests
{
    [Fact]
    public async Task FiftyMegabytesEachWayAtOnceArriveIntactAndEachFinIsRelayed()
    {
        await using var pair = await EchoBehindForwardAsync("-v");
        var forward = pair.Forward;

        var output = await TlsCli.PythonClientAsync(Local(forward.Port), RecvHashed + """
            s = connect()
            block = bytes(range(256)) * 4096
            sent = hashlib.sha256()
            def send():
                for i in range(50):
                    chunk = block[i:] + block[:i]
                    sent.update(chunk)
                    s.sendall(chunk)
                s.shutdown(socket.SHUT_WR)
            t = threading.Thread(target=send)
            t.start()
            n, got = recv_hashed(s)
            t.join()
            assert got == sent.hexdigest(), 'the echo differs from what was sent'
            print(n)
            """);

        Assert.Equal("52428800\n", output);
        await forward.WaitForStderrLineAsync(l => l.Contains("client>target ended with FIN; FIN relayed after 52428800 byte(s)", StringComparison.Ordinal));
        await forward.WaitForStderrLineAsync(l => l.Contains("forward closed (both sides finished); client>target 52428800 byte(s), target>client 52428800 byte(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheClientsFinReachesTheTargetWhichThenStillRepliesInFull()
    {
        // The target answers only after the client's FIN: a forwarder that did not relay it would hang; one that closed
        // the whole connection at the FIN would cut the reply.
        await using var target = await TcpCli.PythonServerAsync(RecvHashed + """
            c, _ = listener.accept()
            c.settimeout(20)
            c.sendall(('%d %s\n' % recv_hashed(c)).encode())
            c.sendall(b'z' * (5 << 20))
            c.close()
            """);
        await using var forward = await StartAsync("127.0.0.1:0", Local(target.Port));

        var output = await TlsCli.PythonClientAsync(Local(forward.Port), RecvHashed + """
            s = connect()
            data = os.urandom(5 << 20)
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
            assert recv_line(s).decode() == '%d %s\n' % (len(data), hashlib.sha256(data).hexdigest())
            n = 0
            while True:
                c = s.recv(1 << 16)
                if not c:
                    break
                assert c == b'z' * len(c)
                n += len(c)
            print(n)
            """);

        Assert.Equal($"{5 << 20}\n", output);
        Assert.Equal(0, await target.WaitForExitAsync());
    }

    [Fact]
    public async Task AClientsResetIsRelayedToTheTarget()
    {
        await using var target = await TcpCli.PythonServerAsync("""
            c, _ = listener.accept()
            c.settimeout(20)
            assert recv_exactly(c, 4) == b'ping'
            c.sendall(b'pong')
            try:
                print('eof' if c.recv(10) == b'' else 'data', flush=True)
            except ConnectionResetError:
                print('reset', flush=True)
            """);
        await using var forward = await StartAsync("127.0.0.1:0", Local(target.Port));

        await TlsCli.PythonClientAsync(Local(forward.Port), """
            s = connect()
            s.sendall(b'ping')
            assert recv_exactly(s, 4) == b'pong'
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
            s.close()
            """);

        Assert.Equal(0, await target.WaitForExitAsync());
        Assert.Equal("reset\n", target.Stdout);
    }

    [Fact]
    public async Task ATargetsResetIsRelayedToTheClient()
    {
        await using var target = await TcpCli.PythonServerAsync("""
            c, _ = listener.accept()
            c.settimeout(20)
            assert recv_exactly(c, 4) == b'ping'
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
            c.close()
            """);
        await using var forward = await StartAsync("127.0.0.1:0", Local(target.Port));

        var output = await TlsCli.PythonClientAsync(Local(forward.Port), """
            s = connect()
            s.sendall(b'ping')
            try:
                print('eof' if s.recv(10) == b'' else 'data')
            except ConnectionResetError:
                print('reset')
            """);

        Assert.Equal("reset\n", output);
    }

    [Fact]
    public async Task ATargetThatRefusesResetsTheClientWithOneWarningLine()
    {
        var port = UnusedPort();
        await using var forward = await StartAsync("127.0.0.1:0", Local(port));

        var output = await TlsCli.PythonClientAsync(Local(forward.Port), ExpectReset);

        Assert.Equal("reset\n", output);
        var warning = await forward.WaitForStderrLineAsync(l => l.Contains("failed:", StringComparison.Ordinal));
        Assert.Contains($"target {Local(port)} failed: ", warning, StringComparison.Ordinal);
        Assert.Contains("refused", warning, StringComparison.Ordinal);
        Assert.EndsWith("; client reset", warning, StringComparison.Ordinal);

        forward.Interrupt();
        Assert.Equal(0, await forward.WaitForExitAsync());
        var lines = forward.Stderr.TrimEnd('\n').Split('\n');
        Assert.True(lines.Length == 3, $"expected the listening line, the warning and the stop line:\n{forward.Stderr}");
        Assert.Contains("(1 because the target failed)", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaxConnsOneResetsASecondClientAndKeepsServingTheFirst()
    {
        await using var pair = await EchoBehindForwardAsync("--max-conns", "1");
        var forward = pair.Forward;

        var output = await TlsCli.PythonClientAsync(Local(forward.Port), """
            a = connect()
            a.sendall(b'one\n')
            assert recv_line(a) == b'one\n'
            try:
                b = connect()
                print('second: ' + ('eof' if b.recv(10) == b'' else 'data'))
            except ConnectionResetError:
                print('second: reset')
            a.sendall(b'two\n')
            assert recv_line(a) == b'two\n'
            a.shutdown(socket.SHUT_WR)
            assert recv_until_eof(a) == b''
            print('first: served')
            """);

        Assert.Equal("second: reset\nfirst: served\n", output);
    }
}
