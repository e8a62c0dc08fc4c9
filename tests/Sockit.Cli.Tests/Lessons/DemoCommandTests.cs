using System.Text.Json;
using Sockit.Cli.Tests.Infrastructure;

namespace Sockit.Cli.Tests.Lessons;

public class DemoCommandTests
{
    [Fact]
    public async Task ServersRunsEveryModelIncludingPreforkedWorkerProcessesAsJson()
    {
        var (code, stdout, stderr) = await SockitProcess.RunAsync(null, "demo", "servers", "--clients", "4", "--requests", "2", "--delay", "10ms", "--json");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var models = json.RootElement.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(["iterative", "thread-per-client", "prefork", "async"], models.Select(m => m.GetProperty("model").GetString()!));
        Assert.True(models[0].GetProperty("totalMs").GetDouble() >= 4 * 2 * 10);
        Assert.Equal(1, models[0].GetProperty("maxConcurrent").GetInt32());
        Assert.False(models[2].TryGetProperty("maxConcurrent", out _)); // other processes: not seen from here
    }

    [SkippableFact]
    public async Task CloseWithoutCaptureStillShowsTheKernelStatesAndSaysWhyThereAreNoSegments()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && Environment.UserName == "root" && File.Exists("/usr/bin/setpriv"), "needs root and setpriv to drop CAP_NET_RAW");
        await using var p = SockitProcess.StartProgram("/usr/bin/setpriv", "--inh-caps=-all", "--bounding-set=-net_raw", "--", SockitProcess.ExecutablePath, "demo", "close");
        p.StandardInput.Close();

        Assert.Equal(0, await p.WaitForExitAsync());
        Assert.Contains("no capture: it needs CAP_NET_RAW", p.Stdout, StringComparison.Ordinal);
        Assert.Contains("kernel: listener LISTEN, client TIME_WAIT, server CLOSED", p.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(" wire ", p.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadDemoOptionsAreOneLineAndExitTwo()
    {
        var (code, _, stderr) = await SockitProcess.RunAsync(null, "demo", "servers", "--clients", "0");
        Assert.Equal((2, "sockit: --clients: '0' is out of range (1 to 64)\n"), (code, stderr));
        (code, _, stderr) = await SockitProcess.RunAsync(null, "demo", "servers", "--delay", "5s");
        Assert.Equal((2, "sockit: --delay: '5s' is out of range (0 to 1s)\n"), (code, stderr));
    }
}
