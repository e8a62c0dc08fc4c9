using Sockit.Cli.Tests.Tcp;
using Sockit.Cli.Tests.Tls;
using static Sockit.Cli.Tests.Forward.ForwardCli;

namespace Sockit.Cli.Tests.Forward;

/// <summary><c>forward --framing SPEC</c> (one line per message per direction) and <c>forward --hex</c>.</summary>
public sealed class ForwardInspectorTests
{
    [Fact]
    public async Task LineFramingPrintsEachLineEachWayAndTheFins()
    {
        var stdout = await InspectLinesThroughNetcatAsync("hello\ntab\there \"q\"\n");

        string[] expected = ["length=5 \"hello\"", "length=12 \"tab\\there \\\"q\\\"\"", "FIN"];
        Assert.Equal(expected, InspectorLines(stdout, "client>target"));
        Assert.Equal(expected, InspectorLines(stdout, "target>client"));
    }

    [Fact]
    public async Task LengthFramingPrintsEachFrameWithEscapesAndACutPreview()
    {
        await using var pair = await EchoBehindForwardAsync("--framing", "length");
        var forward = pair.Forward;

        await TlsCli.PythonClientAsync(Local(forward.Port), """
            s = connect()
            data = frame(b'abc') + frame(bytes(range(5))) + frame(b'x' * 100)
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
            assert recv_exactly(s, len(data)) == data
            assert recv_until_eof(s) == b''
            """);

        await forward.WaitForStdoutAsync("target>client FIN");
        await forward.WaitForStdoutAsync("client>target FIN");
        string[] expected = ["length=3 \"abc\"", "length=5 \"\\x00\\x01\\x02\\x03\\x04\"", $"length=100 \"{new string('x', 64)}\"...", "FIN"];
        Assert.Equal(expected, InspectorLines(forward.Stdout, "client>target"));
        Assert.Equal(expected, InspectorLines(forward.Stdout, "target>client"));
    }

    [Fact]
    public async Task AnOversizeFrameIsReportedAndStillRelayedUnchanged()
    {
        await using var pair = await EchoBehindForwardAsync("--framing", "length", "--max-frame", "16");
        var forward = pair.Forward;

        await TlsCli.PythonClientAsync(Local(forward.Port), """
            s = connect()
            data = frame(b'ok') + frame(b'y' * 100) + frame(b'after')
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
            assert recv_exactly(s, len(data)) == data, 'the bytes were not relayed unchanged'
            assert recv_until_eof(s) == b''
            """);

        await forward.WaitForStdoutAsync("client>target FIN");
        var lines = InspectorLines(forward.Stdout, "client>target");
        Assert.Equal(3, lines.Length);
        Assert.Equal("length=2 \"ok\"", lines[0]);
        Assert.StartsWith("bad frame: ", lines[1], StringComparison.Ordinal);
        Assert.Contains("16", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("; relayed unchanged, no longer decoded", lines[1], StringComparison.Ordinal);
        Assert.Equal("FIN", lines[2]);
    }

    [Fact]
    public async Task ALineCutShortByTheEndIsReportedAndStillRelayed()
    {
        var stdout = await InspectLinesThroughNetcatAsync("whole\npart");

        string[] expected = ["length=5 \"whole\"", "bad frame: the stream ended inside a line frame: 4 byte(s) left over; relayed unchanged, no longer decoded", "FIN"];
        Assert.Equal(expected, InspectorLines(stdout, "client>target"));
    }

    [Fact]
    public async Task HexDumpsBothDirectionsWithTheConnectionId()
    {
        await using var pair = await EchoBehindForwardAsync("--hex");
        var forward = pair.Forward;

        Assert.Equal("ping\n", await TcpCli.NetcatAsync(forward.Port, "ping\n"));

        var sent = await forward.WaitForStderrLineAsync(l => l.StartsWith("> ", StringComparison.Ordinal));
        var back = await forward.WaitForStderrLineAsync(l => l.StartsWith("< ", StringComparison.Ordinal));
        Assert.Matches(@"^> \S+Z #\d+ client>target offset=0 length=5$", sent);
        Assert.Matches(@"^< \S+Z #\d+ target>client offset=0 length=5$", back);
        await forward.WaitForStderrLineAsync(l => l.StartsWith("00000000  70 69 6e 67 0a", StringComparison.Ordinal) && l.EndsWith("ping.", StringComparison.Ordinal));
    }

    /// <summary>
    /// <paramref name="sent"/> through <c>forward --framing line</c> to an echo with <c>nc -N</c>, which must get it all back;
    /// returns the inspector's stdout once both directions have ended.
    /// </summary>
    private static async Task<string> InspectLinesThroughNetcatAsync(string sent)
    {
        await using var pair = await EchoBehindForwardAsync("--framing", "line");
        Assert.Equal(sent, await TcpCli.NetcatAsync(pair.Forward.Port, sent));
        await pair.Forward.WaitForStdoutAsync("client>target FIN");
        await pair.Forward.WaitForStdoutAsync("target>client FIN");
        return pair.Forward.Stdout;
    }
}
