using System.Text.RegularExpressions;
using Sockit.Cli.Tests.Infrastructure;

namespace Sockit.Cli.Tests.Tcp;

/// <summary><c>sockit listen</c>'s modes with real clients: ncat, nc and python3.</summary>
public sealed partial class ListenModeTests
{
    [Fact]
    public async Task ChatRelaysAnNcatClientsLineToTheOtherWithItsNameAndAnnouncesJoinAndLeave()
    {
        await using var server = await TcpCli.ListenAsync("--mode", "chat");
        await using var one = TcpCli.StartNcat(server.Port);
        await using var two = TcpCli.StartNcat(server.Port);

        // Whoever joined the room first hears the other join; from then on each hears the other.
        var (first, second) = await WhoHeardTheSecondJoinAsync(one, two);
        var secondName = JoinNotice().Match(first.Stdout).Groups["name"].Value;
        Assert.DoesNotContain("joined (1 online)", first.Stdout + second.Stdout, StringComparison.Ordinal); // a head count that leaves out the listener
        Assert.Matches(@"^127\.0\.0\.1:\d+$", secondName);

        await second.WriteInputAsync("hello from the second\n");
        await first.WaitForStdoutAsync($"[{secondName}] hello from the second\n");

        await first.WriteInputAsync("hi second\n");
        await second.WaitForStdoutAsync("] hi second\n");
        Assert.DoesNotContain("hello from the second", second.Stdout, StringComparison.Ordinal); // never echoed to the sender

        second.StandardInput.Close(); // ncat half-closes at EOF; the chat server ends that client's session
        await first.WaitForStdoutAsync($"* {secondName} left (1 online)\n");
    }

    [Fact]
    public async Task ChatCutsSeveralLinesInOneWriteAndOneLineInSeveralWritesIntoWholeLines()
    {
        await using var server = await TcpCli.ListenAsync("--mode", "chat");

        var stdout = await TcpCli.PythonClientAsync(server.Port, """
            import select
            a, b = connect(), connect()
            # Whoever joined the room first hears the other join; that one listens, the other talks.
            # (If both joined before either was announced, each hears the other.)
            alice = None
            while alice is None:
                ready, _, _ = select.select([a, b], [], [], 20)
                assert ready, 'nobody heard the second join'
                alice = next((s for s in ready if b'joined (2 online)' in recv_line(s)), None)
            bob = b if alice is a else a
            bob.sendall(b'one\ntwo\nthree\n')
            for piece in [b'fo', b'ur li', b'ne\r', b'\n']:
                bob.sendall(piece)
                time.sleep(0.05)  # separate segments, not synchronisation: the server must cope either way
            bob.sendall(b'stray carriage returns\r\r\n')  # a line ending in \r once got the sender disconnected
            bob.sendall(b'still here\n')
            for _ in range(6):
                print(recv_line(alice).decode().split('] ', 1)[1], end='')
            """);

        Assert.Equal("one\ntwo\nthree\nfour line\nstray carriage returns\nstill here\n", stdout);
    }

    [Fact]
    public async Task BrokerRelaysLengthFramesByteExactToEveryOtherClientButNotTheSender()
    {
        await using var server = await TcpCli.ListenAsync("--mode", "broker", "--framing", "length");

        var stdout = await TcpCli.PythonClientAsync(server.Port, """
            sender = connect()
            receivers = [connect() for _ in range(3)]
            # A receiver is in the room once it has had a frame: the sender repeats 'sync' until each has one.
            for r in receivers:
                sync(sender, r)
            payload = bytes(range(256)) + b'\n\r\n\x00' + b'z' * 70000
            sender.sendall(frame(payload) + frame(b'last'))
            for r in receivers:
                frames = []
                while not frames or frames[-1] != b'last':
                    f = recv_frame(r)
                    if f != b'sync':
                        frames.append(f)
                assert frames == [payload, b'last'], [len(f) for f in frames]
            sender.settimeout(0.5)
            try:
                got = sender.recv(1)
            except socket.timeout:
                got = b'nothing'
            print(got.decode())
            """);

        Assert.Equal("nothing\n", stdout);
    }

    [Fact]
    public async Task SinkPrintsAReportPerClientWithBytesAndFrames()
    {
        await using var server = await TcpCli.ListenAsync("--mode", "sink", "--framing", "line");

        Assert.Equal("", await TcpCli.NetcatAsync(server.Port, "a\nbb\nccc\n"));
        await server.WaitForStdoutAsync("\n");

        Assert.Matches(@"^127\.0\.0\.1:\d+: 9 bytes, 3 frames in [\d.]+ s \([\d.]+ MiB/s\)\n$", server.Stdout);
    }

    [Fact]
    public async Task StdioPrintsClientDataAndSendsStdinLinesToTheClient()
    {
        await using var server = await TcpCli.ListenAsync("--mode", "stdio", "--framing", "line");
        await using var client = TcpCli.StartNcat(server.Port);

        await client.WriteInputAsync("from the client\n");
        await server.WaitForStdoutAsync("from the client\n"); // the client is connected and joined now

        await server.WriteInputAsync("from stdin\n");
        await client.WaitForStdoutAsync("from stdin\n");
        Assert.Equal("from the client\n", server.Stdout);
    }

    [Fact]
    public async Task StdioPrintsEachClientsLinesWholeNeverInterleavedMidLine()
    {
        await using var server = await TcpCli.ListenAsync("--mode", "stdio", "--framing", "line");

        await TcpCli.PythonClientAsync(server.Port, """
            def talk(name):
                s = connect()
                for i in range(200):
                    s.sendall(b'%s %03d %s\n' % (name, i, name * 2000))
                s.close()
            threads = [threading.Thread(target=talk, args=(n,)) for n in (b'A', b'B')]
            for t in threads: t.start()
            for t in threads: t.join()
            """);
        await server.WaitForStdoutAsync("A 199 ");
        await server.WaitForStdoutAsync("B 199 ");

        var lines = server.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(400, lines.Length);
        Assert.All(lines, l => Assert.Matches(@"^([AB]) \d{3} \1{2000}$", l));
    }

    [Fact]
    public async Task StdioSaysWhichStdinLineTheFramingCannotCarryAndRelaysTheNextOne()
    {
        await using var server = await TcpCli.ListenAsync("--mode", "stdio", "--framing", "fixed:4");
        await using var client = TcpCli.StartPythonClient(server.Port, """
            s = connect()
            s.sendall(b'abcd')
            print(recv_exactly(s, 4).decode())
            """);
        await server.WaitForStdoutAsync("abcd\n"); // the client is connected and joined now

        await server.WriteInputAsync("too long\nokay\n");

        await client.WaitForStdoutAsync("okay\n");
        var refused = await server.WaitForStderrLineAsync(l => l.Contains("stdin line not sent", StringComparison.Ordinal));
        Assert.Equal("sockit: stdin line not sent: a payload of 8 bytes cannot be sent as fixed:4: every frame is exactly 4 bytes", refused);
    }

    [Fact]
    public async Task OnceExits0AfterTheClientLeaves()
    {
        await using var server = await TcpCli.ListenAsync("--mode", "echo", "--once");

        Assert.Equal("ping\n", await TcpCli.NetcatAsync(server.Port, "ping\n"));

        Assert.Equal(0, await server.WaitForExitAsync());
    }

    private static async Task<(SockitProcess First, SockitProcess Second)> WhoHeardTheSecondJoinAsync(SockitProcess one, SockitProcess two)
    {
        const string Notice = "joined (2 online)\n";
        var deadline = DateTime.UtcNow + SockitProcess.DefaultTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (one.Stdout.Contains(Notice, StringComparison.Ordinal))
            {
                return (one, two);
            }

            if (two.Stdout.Contains(Notice, StringComparison.Ordinal))
            {
                return (two, one);
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"no client heard the second join; stdout:\n{one.Stdout}\n---\n{two.Stdout}");
    }

    [GeneratedRegex(@"\* (?<name>\S+) joined \(2 online\)")]
    private static partial Regex JoinNotice();
}
