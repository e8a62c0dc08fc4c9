using Sockit.Cli.Tests.Infrastructure;

namespace Sockit.Cli.Tests.Tcp;

/// <summary>The server as an operator meets it under pressure: the descriptor limit, a stop that loses data, bad limits.</summary>
public sealed class PressureCliTests
{
    /// <summary>Starts <c>sockit listen</c> with RLIMIT_NOFILE lowered to <paramref name="limit"/> (soft and hard, like <c>ulimit -n</c>).</summary>
    private static async Task<SockitProcess> ListenWithDescriptorLimitAsync(int limit, params string[] args)
    {
        const string LimitAndExec = """
            import os, resource, signal, sys
            resource.setrlimit(resource.RLIMIT_NOFILE, (int(sys.argv[1]), int(sys.argv[1])))
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.execv(sys.argv[2], sys.argv[2:])
            """;
        return await TcpCli.ListeningAsync(
            SockitProcess.StartProgram("python3", ["-c", LimitAndExec, TcpCli.Text(limit), SockitProcess.ExecutablePath, "listen", "127.0.0.1:0", .. args]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1000")] // Above what the limit allows: accept itself runs out of descriptors.
    public async Task MoreClientsThanDescriptorsNeverCrashTheServerAndANewClientIsServedOnceTheyLeave(string maxConns)
    {
        string[] options = maxConns.Length == 0 ? [] : ["--max-conns", maxConns];
        await using var server = await ListenWithDescriptorLimitAsync(128, ["--mode", "echo", .. options]);

        var stdout = await TcpCli.PythonClientAsync(server.Port, """
            held = []
            for i in range(300):
                try:
                    held.append(connect())
                except OSError:
                    pass
            for s in held:
                try:
                    s.sendall(b'x')
                except OSError:
                    pass
            time.sleep(2)  # the pressure: every descriptor taken for a while
            for s in held:
                s.close()
            deadline = time.time() + 20
            while True:
                try:
                    s = connect()
                    s.sendall(b'ping')
                    assert recv_exactly(s, 4) == b'ping'
                    print('served')
                    break
                except (OSError, EOFError):
                    if time.time() > deadline:
                        raise
                    time.sleep(0.1)
            """);

        Assert.Equal("served\n", stdout);
        server.Interrupt();
        Assert.Equal(0, await server.WaitForExitAsync());
        Assert.DoesNotContain("Out of memory", server.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoppingWithDataQueuedForAClientThatStoppedReadingSaysWhatWasLostWithoutVerbose()
    {
        await using var server = await TcpCli.ListenAsync("--mode", "echo", "--drain-timeout", "1s");
        await using var client = TcpCli.StartPythonClient(server.Port, """
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
            s.connect(('127.0.0.1', PORT))
            # Served before anything piles up: a connection still in the backlog when the server stops is reset by
            # the kernel, not by the server (it was never accepted), and the client would see a reset all the same.
            s.sendall(b'x')
            assert s.recv(1) == b'x'
            chunk = b'x' * 65536
            for i in range(64):
                s.sendall(chunk)
            print('sent 4 MiB', flush=True)
            try:
                while True:
                    s.sendall(chunk)  # never reads: the echo piles up in the server
            except (ConnectionResetError, BrokenPipeError):
                # The server's RST. Linux hands ECONNRESET to the first call that sees the reset and EPIPE to any
                # after it; which one the blocked sendall gets is a race. This client never shut its own side down.
                print('then reset', flush=True)
            """);
        await client.WaitForStdoutAsync("sent 4 MiB");

        server.Interrupt();

        Assert.Equal(0, await server.WaitForExitAsync());
        Assert.True(server.Stderr.Contains("stopped: 1 connection(s) reset by this server with data unsent or unread", StringComparison.Ordinal), server.Stderr);
        await client.WaitForStdoutAsync("then reset");
    }

    [Fact]
    public async Task InterruptingConnectWhileTheServerIsNotReadingStopsAtOnceAndSaysWhatWasNeverSent()
    {
        await using var server = await TcpCli.PythonServerAsync("""
            conn, addr = listener.accept()
            # A fixed receive buffer: autotuning could grow it past the 16 MiB written below (tcp_rmem's maximum is
            # 32 MiB on some machines), and connect would then have nothing left to send when interrupted.
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
            time.sleep(30)  # never reads
            """);
        await using var connect = SockitProcess.Start("connect", "127.0.0.1", TcpCli.Text(server.Port));
        var chunk = new string('x', 64 << 10);
        var written = 0;
        var blocked = 0; // 1 while a write is in progress: a 64 KiB write into the 64 KiB pipe waits for connect to read
        var writing = Task.Run(async () =>
        {
            try
            {
                for (var i = 0; i < 256; i++)
                {
                    Volatile.Write(ref blocked, 1);
                    await connect.StandardInput.WriteAsync(chunk); // 16 MiB: more than every buffer on the way
                    await connect.StandardInput.FlushAsync();
                    Volatile.Write(ref blocked, 0);
                    Interlocked.Increment(ref written);
                }
            }
            catch (IOException)
            {
                // connect has exited and closed its stdin.
            }
        });

        // Wait (bounded) until connect is stuck: a write into its stdin has not finished for 3 s because the server
        // does not read. (Stuck, not merely slow on a loaded machine: interrupted with nothing queued, connect
        // rightly exits 0.)
        var deadline = DateTime.UtcNow + SockitProcess.DefaultTimeout;
        for (var (last, still) = (-1, 0); still < 60 && DateTime.UtcNow < deadline; await Task.Delay(50))
        {
            var now = Volatile.Read(ref written);
            (last, still) = (now, now == last && Volatile.Read(ref blocked) == 1 ? still + 1 : 0);
        }

        connect.Interrupt();

        // Before: the close waited for the server to read, forever.
        Assert.Equal(1, await connect.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        Assert.Contains("byte(s) of input were never sent", connect.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--allow", "10.0.0.0/33", "--allow: '10.0.0.0/33' is not a subnet")]
    [InlineData("--deny", "nonsense", "--deny: 'nonsense' is not a subnet")]
    [InlineData("--max-conns-per-ip", "0", "--max-conns-per-ip: '0' must be at least 1")]
    [InlineData("--max-memory", "10k", "--max-memory: '10k' is too small")]
    [InlineData("--frame-timeout", "soon", "--frame-timeout")]
    [InlineData("--slow-consumer-timeout", "soon", "--slow-consumer-timeout")]
    public async Task BadOperatingOptionsAreOneLineAndExitTwo(string option, string value, string mention)
    {
        var run = await SockitProcess.RunAsync(null, "listen", "127.0.0.1:0", option, value);

        TcpCli.AssertOneLineFailure(run, 2, mention);
    }

    [Fact]
    public async Task ADeniedClientIsResetAndAnAllowedOneIsServed()
    {
        await using var server = await TcpCli.ListenAsync("--mode", "echo", "--allow", "127.0.0.0/8", "--deny", "127.0.0.2/32", "-v");

        var stdout = await TcpCli.PythonClientAsync(server.Port, """
            denied = socket.socket()
            denied.bind(('127.0.0.2', 0))
            try:
                denied.connect(('127.0.0.1', PORT))
                print('denied got %r' % recv_until_eof(denied))
            except ConnectionResetError:
                print('denied was reset')
            ok = connect()
            ok.sendall(b'hi')
            print(recv_exactly(ok, 2).decode())
            """);

        Assert.Equal("denied was reset\nhi\n", stdout);
        await server.WaitForStderrLineAsync(l => l.Contains("refused 127.0.0.2: not in --allow, or in --deny", StringComparison.Ordinal));
    }
}
