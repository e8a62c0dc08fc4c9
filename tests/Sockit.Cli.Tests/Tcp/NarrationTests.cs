using Sockit.Cli.Tests.Infrastructure;

namespace Sockit.Cli.Tests.Tcp;

/// <summary>What a learner watches: <c>--hex</c> dumps, <c>-v</c> lifecycle narration, <c>demo sticky</c>.</summary>
public sealed class NarrationTests
{
    /// <summary>Where the ASCII column starts: offset, two spaces, 16 hex bytes with a gap after 8, a space.</summary>
    private const int AsciiColumn = 8 + 2 + (16 * 3) + 1 + 1;

    private const string Timestamp = @"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z";

    [Fact]
    public async Task HexDumpsEachDirectionWithTimestampPeerOffsetHexAndAscii()
    {
        await using var server = await TcpCli.ListenAsync("--mode", "echo", "--hex");

        Assert.Equal("ping\n", await TcpCli.NetcatAsync(server.Port, "ping\n"));
        var sent = await server.WaitForStderrLineAsync(l => l.StartsWith("> ", StringComparison.Ordinal));

        var lines = server.Stderr.Split('\n');
        var received = Array.FindIndex(lines, l => l.StartsWith("< ", StringComparison.Ordinal));
        Assert.Matches($@"^< {Timestamp} from 127\.0\.0\.1:\d+ offset=0 length=5$", lines[received]);
        Assert.Matches(@"^00000000  70 69 6e 67 0a +ping\.$", lines[received + 1]);
        Assert.Equal(AsciiColumn, lines[received + 1].IndexOf("ping.", StringComparison.Ordinal));
        Assert.Matches($@"^> {Timestamp} to 127\.0\.0\.1:\d+ offset=0 length=5$", sent);
        Assert.Equal(lines[received + 1], lines[Array.IndexOf(lines, sent) + 1]);
    }

    [Fact]
    public async Task HexOffsetsCountTheWholeStreamAcrossChunks()
    {
        await using var server = await TcpCli.ListenAsync("--mode", "sink", "--hex");

        await TcpCli.PythonClientAsync(server.Port, """
            s = connect()
            s.sendall(b'0123456789abcdefXYZ')
            time.sleep(0.2)  # two segments, so two dumps; one dump would be fine too
            s.sendall(b'!')
            s.close()
            """);
        await server.WaitForStdoutAsync("20 bytes");

        var dump = server.Stderr;
        var full = Assert.Single(dump.Split('\n'), l => l.StartsWith("00000000  ", StringComparison.Ordinal));
        Assert.Equal("00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  0123456789abcdef", full);
        Assert.Equal(AsciiColumn, full.IndexOf('0', 10 + 48));
        Assert.Matches(@"(?m)^00000010  58 59 5a( 21)? ", dump);
        Assert.Matches(@"(?m)^0000001[03]  .*!$", dump);
    }

    [Fact]
    public async Task VerboseNarratesAcceptFinBothWaysAndCloseWithByteCounts()
    {
        await using var server = await TcpCli.ListenAsync("--mode", "echo", "-v");

        Assert.Equal("ping\n", await TcpCli.NetcatAsync(server.Port, "ping\n"));
        var closed = await server.WaitForStderrLineAsync(l => l.Contains(": closed (", StringComparison.Ordinal));

        var stderr = server.Stderr;
        Assert.Contains("(tcp, backlog 512, mode echo, framing raw)", stderr, StringComparison.Ordinal);
        Assert.Matches(@"accepted 127\.0\.0\.1:\d+ \(three-way handshake done\)", stderr);
        Assert.Matches(@"127\.0\.0\.1:\d+: received FIN \(peer half-closed: recv returned 0\)", stderr);
        Assert.Matches(@"127\.0\.0\.1:\d+: sent FIN", stderr);
        Assert.EndsWith("closed (peer closed the connection); 5 bytes in, 5 bytes out", closed, StringComparison.Ordinal);
        Assert.True(stderr.IndexOf("accepted", StringComparison.Ordinal) < stderr.IndexOf("received FIN", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerboseConnectNarratesTheClientSide()
    {
        await using var server = await TcpCli.ListenAsync("--mode", "echo");

        var (stdout, stderr) = await TcpCli.ConnectAsync(server.Port, "ping\n", "-v");

        Assert.Equal("ping\n", stdout);
        Assert.Matches($@"connected to 127\.0\.0\.1:{server.Port} from 127\.0\.0\.1:\d+ \(three-way handshake done\)", stderr);
        Assert.Contains("sent FIN", stderr, StringComparison.Ordinal);
        Assert.Contains("received FIN", stderr, StringComparison.Ordinal);
        Assert.Contains("5 bytes in, 5 bytes out", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRootHelpListsListenConnectAndDemoOnOneLineEachWithoutTheirExamples()
    {
        var (code, stdout, _) = await SockitProcess.RunAsync(null, "--help");

        Assert.Equal(0, code);
        Assert.Matches(@"(?m)^  listen <ENDPOINT> +Serve TCP, TLS and Unix socket clients", stdout);
        Assert.Matches(@"(?m)^  connect <HOST> <PORT> +Connect to a TCP server", stdout);
        Assert.DoesNotContain("sockit listen 7000", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("sockit connect", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemoStickyShowsRawLosingBoundariesAndLineAndLengthIntact()
    {
        var (code, stdout, stderr) = await SockitProcess.RunAsync(null, "demo", "sticky", "--count", "300");

        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n');
        Assert.Matches(@"^raw +300 sends -> \d+ recv\(\) calls; \d+ of 300 messages recovered: message boundaries lost$",
            lines.Single(l => l.StartsWith("raw ", StringComparison.Ordinal)));
        Assert.Matches(@"^line +300 sends -> \d+ recv\(\) calls; 300 of 300 messages recovered: every message intact$",
            lines.Single(l => l.StartsWith("line ", StringComparison.Ordinal)));
        Assert.Matches(@"^length:u32be +300 sends -> \d+ recv\(\) calls; 300 of 300 messages recovered: every message intact$",
            lines.Single(l => l.StartsWith("length", StringComparison.Ordinal)));
        Assert.Contains("read 1:", stdout, StringComparison.Ordinal);
        Assert.Contains("msg-1msg-2msg-3", stdout, StringComparison.Ordinal);
    }
}
