using System.Security.Cryptography;
using Sockit.Cli.Tests.Infrastructure;

namespace Sockit.Cli.Tests.Tcp;

/// <summary>
/// <c>sockit listen</c>'s fan-out under pressure: stdio as a file server (stdin reaches the client whole, however slowly
/// it reads) and broker cutting only a client that stopped reading.
/// </summary>
public sealed class FanoutModeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sockit-stdio-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task OnceDeliversTwentyMegabytesOfStdinToASlowReaderThenFinAndExits0()
    {
        var data = new byte[20_000_000];
        new Random(7).NextBytes(data);
        await using var server = await TcpCli.ListenAsync("--once");

        // Reads 64 KiB at a time with a pause after each read: about 13 MB/s, slower than stdin arrives.
        await using var client = TcpCli.StartPythonClient(server.Port, """
            import hashlib
            s = connect()
            print('connected')
            h, n = hashlib.sha256(), 0
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                h.update(chunk)
                n += len(chunk)
                time.sleep(0.005)
            s.close()
            print(n, h.hexdigest())
            """);
        await client.WaitForStdoutAsync("connected\n");

        // Stdin comes as fast as the pipe takes it, after the client is there.
        try
        {
            await server.StandardInput.BaseStream.WriteAsync(data);
            server.StandardInput.Close();
        }
        catch (IOException ex)
        {
            Assert.Fail($"sockit stopped reading stdin ({ex.Message}); client:\n{client.Stdout}{client.Stderr}\nsockit:\n{server.Stderr}");
        }

        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Equal($"connected\n{data.Length} {Convert.ToHexStringLower(SHA256.HashData(data))}\n", client.Stdout);
        Assert.Equal(0, await server.WaitForExitAsync());
    }

    [Fact]
    public async Task OnceKeepsStdinThatArrivedBeforeTheClientAndSendsItThenFin()
    {
        var file = Path.Combine(_dir, "small.txt");
        await File.WriteAllTextAsync(file, "kept for the first\n");
        await using var server = await ListenWithStdinFromAsync(file, "--once");

        var stdout = await TcpCli.PythonClientAsync(server.Port, """
            time.sleep(0.5)  # connect well after stdin ended (not synchronisation: either order must work)
            s = connect()
            sys.stdout.write(recv_until_eof(s).decode())
            s.close()
            """);

        Assert.Equal("kept for the first\n", stdout);
        Assert.Equal(0, await server.WaitForExitAsync());
    }

    [Fact]
    public async Task BrokerResetsAClientThatStopsReadingAfterTheSlowConsumerTimeoutAndSaysSoOnExit()
    {
        await using var server = await TcpCli.ListenAsync("--mode", "broker", "--framing", "length", "--slow-consumer-timeout", "500ms");

        var stdout = await TcpCli.PythonClientAsync(server.Port, """
            stuck = socket.socket()
            stuck.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
            stuck.connect(('127.0.0.1', PORT))
            reader, sender = connect(), connect()
            sync(sender, reader)  # everyone is in the room once the reader has had a frame from the sender
            def send():
                for i in range(300):
                    sender.sendall(frame(b'%05d' % i + b'x' * 32768))
            t = threading.Thread(target=send)
            t.start()
            got = [recv_frame(reader) for _ in range(300)]
            while got[0] == b'sync':
                got = got[1:] + [recv_frame(reader)]
            t.join()
            assert [g[:5] for g in got] == [b'%05d' % i for i in range(300)], 'frames lost or reordered'
            try:
                while stuck.recv(65536):
                    pass
                print('clean EOF')
            except ConnectionResetError:
                print('reset')
            """);

        Assert.Equal("reset\n", stdout);
        server.Interrupt();
        Assert.Equal(0, await server.WaitForExitAsync());
        Assert.Contains("reset by this server with data unsent or unread (1 slow consumer(s) cut)", server.Stderr, StringComparison.Ordinal);
    }

    /// <summary><c>sockit listen 127.0.0.1:0 ARGS &lt; FILE</c>, started through the shell so stdin is the file itself.</summary>
    private static Task<SockitProcess> ListenWithStdinFromAsync(string file, params string[] args) =>
        TcpCli.ListeningAsync(SockitProcess.StartProgram("sh", ["-c", "f=$1; shift; exec \"$0\" listen 127.0.0.1:0 \"$@\" < \"$f\"", SockitProcess.ExecutablePath, file, .. args]));
}
