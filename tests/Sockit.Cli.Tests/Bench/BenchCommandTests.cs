using System.Text.Json;
using Sockit.Cli.Tests.Infrastructure;

namespace Sockit.Cli.Tests.Bench;

public sealed class BenchCommandTests
{
    // Short runs: the point is that every reply is checked and reported, never how fast it goes.
    private static readonly string[] Short = ["--duration", "1s", "--warmup", "200ms"];

    private static Task<(int ExitCode, string Stdout, string Stderr)> BenchAsync(int port, params string[] args) =>
        SockitProcess.RunAsync(null, ["bench", "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. Short, .. args]);

    private static JsonElement Json(string stdout) => JsonDocument.Parse(stdout).RootElement;

    private static void AssertClean(JsonElement r)
    {
        Assert.True(r.GetProperty("ok").GetBoolean(), r.ToString());
        Assert.True(r.GetProperty("verified").GetInt64() > 0);
        Assert.Equal(r.GetProperty("sent").GetInt64(), r.GetProperty("verified").GetInt64());
        var errors = r.GetProperty("errors");
        Assert.Equal(0, errors.GetProperty("lost").GetInt64());
        Assert.Equal(0, errors.GetProperty("reordered").GetInt64());
        Assert.Equal(0, errors.GetProperty("corrupted").GetInt64());
        Assert.Equal(0, errors.GetProperty("connections").GetInt64());
    }

    [Fact]
    public async Task AgainstThePythonEchoItPrintsRatesPercentilesAndNoErrors()
    {
        await using var server = await PythonEchoServer.StartBaselineAsync("length");

        var (code, stdout, stderr) = await BenchAsync(server.Port, "--conns", "2", "--depth", "4");

        Assert.Equal(0, code);
        Assert.Equal("", stderr); // no progress line when stderr is not a terminal
        Assert.Contains("msg/s", stdout, StringComparison.Ordinal);
        Assert.Contains("MiB/s", stdout, StringComparison.Ordinal);
        Assert.Matches(@"latency µs\s+p50 [\d,]+\s+p90 [\d,]+\s+p99 [\d,]+\s+p99\.9 [\d,]+\s+max [\d,]+", stdout);
        Assert.Contains("errors      lost 0  reordered 0  corrupted 0  connections 0", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("raw", "length")]
    [InlineData("raw", "raw")]
    [InlineData("length", "length")]
    [InlineData("line", "line")]
    public async Task AgainstSockitListenEchoEveryReplyIsVerified(string serverFraming, string benchFraming)
    {
        await using var server = SockitProcess.Start("listen", "127.0.0.1:0", "--mode", "echo", "--framing", serverFraming);
        var port = await server.WaitForListeningPortAsync();

        var (code, stdout, stderr) = await BenchAsync(port, "--conns", "3", "--depth", "8", "--size", "100", "--framing", benchFraming, "--json");

        Assert.True(code == 0, stderr);
        var r = Json(stdout);
        AssertClean(r);
        Assert.Equal(3, r.GetProperty("connections").GetInt32());
        Assert.Equal(100, r.GetProperty("size").GetInt32());
        var latency = r.GetProperty("latencyMicroseconds");
        Assert.True(latency.GetProperty("p50").GetInt64() <= latency.GetProperty("max").GetInt64());
    }

    [Fact]
    public async Task HgrmWritesTheStandardPercentileDistribution()
    {
        await using var server = await PythonEchoServer.StartBaselineAsync("raw");
        var path = Path.Combine(Path.GetTempPath(), $"sockit-bench-{Guid.NewGuid():N}.hgrm");
        try
        {
            var (code, _, stderr) = await BenchAsync(server.Port, "--hgrm", path);

            Assert.True(code == 0, stderr);
            var text = await File.ReadAllTextAsync(path);
            Assert.Matches(@"^\s*Value\s+Percentile\s+TotalCount\s+1/\(1-Percentile\)", text);
            Assert.Contains("#[Mean", text, StringComparison.Ordinal);
            Assert.Contains("#[Max", text, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ACorruptingServerMakesTheExitCode1()
    {
        // Echoes faithfully except one byte, 1000 bytes into the stream, which it changes.
        const string Script = """
            import asyncio
            class P(asyncio.Protocol):
                def connection_made(self, t): self.t, self.seen = t, 0
                def data_received(self, d):
                    d = bytearray(d)
                    if self.seen <= 1000 < self.seen + len(d): d[1000 - self.seen] ^= 0x20
                    self.seen += len(d)
                    self.t.write(bytes(d))
            async def main():
                s = await asyncio.get_running_loop().create_server(P, '127.0.0.1', 0)
                print(f"listening on 127.0.0.1:{s.sockets[0].getsockname()[1]}", flush=True)
                await s.serve_forever()
            asyncio.run(main())
            """;
        await using var server = await PythonEchoServer.StartScriptAsync(Script);

        var (code, stdout, stderr) = await BenchAsync(server.Port, "--json");

        Assert.Equal(1, code);
        var r = Json(stdout);
        Assert.False(r.GetProperty("ok").GetBoolean());
        Assert.True(r.GetProperty("errors").GetProperty("corrupted").GetInt64() >= 1, stdout);
        Assert.StartsWith("sockit: ", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task ARefusedConnectionIsOneLineAndExitCode1()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (code, stdout, stderr) = await BenchAsync(port);

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Matches($@"^sockit: cannot connect to 127\.0\.0\.1:{port}: .*refused.*\n$", stderr);
    }

    // The transports: one endpoint argument (unix:/path, unix:@name, tls://HOST:PORT) or --tls, a short run each.
    private static readonly string[] Shorter = ["--duration", "300ms", "--warmup", "0s", "--conns", "2", "--depth", "4", "--json"];

    private static async Task<(SockitProcess Server, int Port, string Pin)> StartTlsEchoAsync()
    {
        var server = SockitProcess.Start("listen", "tls://127.0.0.1:0", "--mode", "echo");
        var line = await server.WaitForStderrLineAsync(l => l.Contains("--pin sha256:", StringComparison.Ordinal));
        var pin = line[(line.IndexOf("--pin ", StringComparison.Ordinal) + "--pin ".Length)..].TrimEnd(')', ' ', '\r');
        return (server, await server.WaitForListeningPortAsync(), pin);
    }

    [Theory]
    [InlineData("path")]
    [InlineData("abstract")]
    public async Task OverAUnixSocketEveryReplyIsVerified(string kind)
    {
        var endpoint = kind == "path"
            ? "unix:" + Path.Combine(Path.GetTempPath(), $"sockit-bench-{Guid.NewGuid():N}.sock")
            : $"unix:@sockit-bench-{Guid.NewGuid():N}";
        await using var server = SockitProcess.Start("listen", endpoint, "--mode", "echo");
        await server.WaitForStderrLineAsync(l => l.Contains("listening on ", StringComparison.Ordinal));

        var (code, stdout, stderr) = await SockitProcess.RunAsync(null, ["bench", endpoint, .. Shorter]);

        Assert.True(code == 0, stderr);
        var r = Json(stdout);
        AssertClean(r);
        Assert.Equal(endpoint, r.GetProperty("endpoint").GetString());
    }

    [Fact]
    public async Task OverTlsWithThePrintedPinEveryReplyIsVerified()
    {
        var (server, port, pin) = await StartTlsEchoAsync();
        await using var _ = server;

        var (code, stdout, stderr) = await SockitProcess.RunAsync(null, ["bench", $"tls://127.0.0.1:{port}", "--pin", pin, .. Shorter]);

        Assert.True(code == 0, stderr);
        var r = Json(stdout);
        AssertClean(r);
    }

    [Fact]
    public async Task TlsFlagWithHostAndPortAndInsecureWorks()
    {
        var (server, port, _) = await StartTlsEchoAsync();
        await using var _s = server;

        var (code, stdout, stderr) = await SockitProcess.RunAsync(null,
            ["bench", "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--tls", "--insecure", .. Shorter]);

        Assert.True(code == 0, stderr);
        AssertClean(Json(stdout));
        Assert.Contains("--insecure", stderr, StringComparison.Ordinal); // the warning, and nothing else
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task AWrongPinIsOneLineAndExitCode1()
    {
        var (server, port, pin) = await StartTlsEchoAsync();
        await using var _ = server;
        var wrong = "sha256:" + new string('0', 64);

        var (code, stdout, stderr) = await SockitProcess.RunAsync(null, ["bench", $"127.0.0.1:{port}", "--tls", "--pin", wrong, .. Shorter]);

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Matches($@"^sockit: TLS handshake with 127\.0\.0\.1:{port} failed: pin mismatch: .*{pin[7..]}.*\n$", stderr);
    }

    [Fact]
    public async Task ATlsOptionWithoutTlsIsAUsageError()
    {
        var (code, _, stderr) = await SockitProcess.RunAsync(null, "bench", "127.0.0.1:9", "--insecure");

        Assert.Equal(2, code);
        Assert.Contains("--insecure is a TLS option", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--size", "10", "10 bytes")]
    [InlineData("--size", "lots", "'lots'")]
    [InlineData("--framing", "bogus", "'bogus'")]
    [InlineData("--duration", "soon", "'soon'")]
    [InlineData("--depth", "0", "depth of 0")]
    [InlineData("--conns", "0", "0 connections")]
    [InlineData("--framing", "fixed:8", "fixed:8")]
    public async Task ABadArgumentIsOneLineNamingItAndExitCode2(string option, string value, string named)
    {
        var (code, stdout, stderr) = await SockitProcess.RunAsync(null, "bench", "127.0.0.1", "9", option, value);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("sockit: ", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains(named, stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http-ish")]
    [InlineData("70000")]
    public async Task ABadPortIsExitCode2(string port)
    {
        var (code, _, stderr) = await SockitProcess.RunAsync(null, "bench", "127.0.0.1", port);

        Assert.Equal(2, code);
        Assert.Contains($"'{port}'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerThatNeverEchoesIsNoRepliesAndExit1()
    {
        await using var server = SockitProcess.Start("listen", "127.0.0.1:0", "--mode", "sink");
        var port = await server.WaitForListeningPortAsync();

        var (code, _, stderr) = await BenchAsync(port);

        Assert.Equal(1, code);
        var line = Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("sockit: no replies: ", line, StringComparison.Ordinal);
        Assert.Contains("none echoed back", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARunThatEndsEarlyIsMeasuredOverTheTimeItRanNotTheTimeAskedFor()
    {
        // Echoes 50 length-prefixed frames, then closes: the bench asked for 60 s and ran far less.
        await using var server = await Tcp.TcpCli.PythonServerAsync("""
            conn, addr = listener.accept()
            for _ in range(50):
                n = struct.unpack('>I', recv_exactly(conn, 4))[0]
                conn.sendall(struct.pack('>I', n) + recv_exactly(conn, n))
            conn.close()
            time.sleep(120)
            """);

        var (code, stdout, _) = await SockitProcess.RunAsync(null,
            ["bench", "127.0.0.1", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--duration", "60s", "--warmup", "0s", "--json"]);

        Assert.Equal(1, code);
        var r = Json(stdout);
        var seconds = r.GetProperty("durationSeconds").GetDouble();
        Assert.InRange(seconds, 0, 59);
        Assert.Equal(50, r.GetProperty("messages").GetInt64());
        Assert.Equal(Math.Round(50 / seconds, 1), r.GetProperty("messagesPerSecond").GetDouble(), 1);
    }
}
