using Sockit.Cli.Tests.Files;
using Sockit.Cli.Tests.Infrastructure;

namespace Sockit.Cli.Tests.Lessons;

public class TraceCommandTests
{
    [SkippableFact]
    public async Task WithoutCapNetRawTraceIsOneLineSayingHowToRunItAndExitsOne()
    {
        // Root keeps its file access but loses CAP_NET_RAW: setpriv drops it from the bounding set before exec.
        Skip.IfNot(OperatingSystem.IsLinux() && Environment.UserName == "root" && File.Exists("/usr/bin/setpriv"), "needs Linux, root and setpriv to drop CAP_NET_RAW for a child");
        await using var p = SockitProcess.StartProgram("/usr/bin/setpriv", "--inh-caps=-all", "--bounding-set=-net_raw", "--", SockitProcess.ExecutablePath, "trace", "--port", "7000");
        p.StandardInput.Close();

        Assert.Equal(1, await p.WaitForExitAsync());
        Assert.Equal("", p.Stdout);
        Assert.Equal(
            "sockit: capturing packets needs CAP_NET_RAW: run it as root (sudo sockit ...), or grant it once with sudo setcap cap_net_raw+ep \"$(command -v sockit)\"",
            p.Stderr.TrimEnd('\n'));
    }

    [Fact]
    public async Task AnUnknownInterfaceOrABadPortIsBadUsage()
    {
        var (code, _, stderr) = await SockitProcess.RunAsync(null, "trace", "-i", "no-such-if0");
        Assert.Equal((2, "sockit: no network interface named 'no-such-if0'\n"), (code, stderr));

        (code, _, stderr) = await SockitProcess.RunAsync(null, "trace", "--port", "70000");
        Assert.Equal((2, "sockit: --port: '70000' is not a port (1 to 65535)\n"), (code, stderr));

        (code, _, stderr) = await SockitProcess.RunAsync(null, "trace", "--port", "7000", "--count", "0");
        Assert.Equal((2, "sockit: --count: '0' is not a count: give 1 or more (leave --count out to trace until Ctrl-C)\n"), (code, stderr));

        (code, _, stderr) = await SockitProcess.RunAsync(null, "trace", "--port", "7000", "--json");
        Assert.Equal((2, "sockit: --json writes one document of the segments seen: give --count N (at most N segments)\n"), (code, stderr));
    }

    [SkippableFact]
    public async Task TraceShowsTheHandshakeOfAConnectionToItsPortAsJson()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && Environment.UserName == "root", "capturing needs CAP_NET_RAW (CI runs as root)");
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        await using var trace = SockitProcess.Start("trace", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--count", "3", "--json");
        await trace.WaitForStderrLineAsync(l => l.StartsWith("sockit: tracing TCP on lo", StringComparison.Ordinal));

        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, await trace.WaitForExitAsync());
        using var json = System.Text.Json.JsonDocument.Parse(trace.Stdout);
        var flags = json.RootElement.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("flags").GetString()!).ToArray();
        Assert.Equal(["SYN", "SYN-ACK", "ACK"], flags);
        Assert.Equal(port, json.RootElement.GetProperty("port").GetInt32());
        Assert.StartsWith("handshake 3/3", json.RootElement.GetProperty("segments")[2].GetProperty("note").GetString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task WriteSavesTheSegmentsShownAsAPcapFileThatTcpdumpReads()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && Environment.UserName == "root", "capturing needs CAP_NET_RAW (CI runs as root)");
        using var dir = new ScratchDirectory();
        var pcap = Path.Combine(dir.Path, "handshake.pcap");
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        await using var trace = SockitProcess.Start("trace", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--count", "3", "--write", pcap);
        await trace.WaitForStderrLineAsync(l => l.StartsWith("sockit: tracing TCP on lo", StringComparison.Ordinal));

        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, await trace.WaitForExitAsync());
        Assert.Contains($"sockit: 3 segment(s) shown and saved to {pcap};", trace.Stderr, StringComparison.Ordinal);
        var (code, stdout, stderr) = await ExternalTool.RunAsync("tcpdump", ["-nn", "-r", pcap]);
        Assert.True(code == 0, stderr);
        Assert.Contains("link-type EN10MB (Ethernet)", stderr, StringComparison.Ordinal);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Contains($"127.0.0.1.{port}: Flags [S],", lines[0], StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1.{port} > 127.0.0.1.", lines[1], StringComparison.Ordinal);
        Assert.Contains("Flags [S.],", lines[1], StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1.{port}: Flags [.],", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWritePathThatCannotBeCreatedIsBadUsageAndNothingIsCaptured()
    {
        using var dir = new ScratchDirectory();
        var pcap = Path.Combine(dir.Path, "no-such-dir", "t.pcap");
        var (code, stdout, stderr) = await SockitProcess.RunAsync(null, "trace", "--port", "7000", "--write", pcap);
        Assert.Equal((2, ""), (code, stdout));
        Assert.StartsWith($"sockit: --write: cannot create '{pcap}': ", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
    }

    [SkippableFact]
    public async Task APcapFileThatCannotBeWrittenEndsTheTraceWithOneLineAndExitOne()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && Environment.UserName == "root" && File.Exists("/dev/full"), "capturing needs CAP_NET_RAW; /dev/full is a disk that is always full");
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        await using var trace = SockitProcess.Start("trace", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--count", "3", "--write", "/dev/full");
        await trace.WaitForStderrLineAsync(l => l.StartsWith("sockit: tracing TCP on lo", StringComparison.Ordinal));

        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, await trace.WaitForExitAsync());
        var lines = trace.Stderr.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("sockit: --write: cannot save the capture: No space left on device", lines[1], StringComparison.Ordinal);
    }
}
