using static Sockit.Cli.Tests.NetworkFacts.FactsCli;

namespace Sockit.Cli.Tests.NetworkFacts;

public sealed class OutputContractTests
{
    public static TheoryData<string[]> PlainRuns() => new()
    {
        new[] { "host" },
        new[] { "resolve", "localhost" },
        new[] { "ip", "aton", "127.1" },
        new[] { "ip", "info", "192.168.1.5/24" },
        new[] { "port", "http" },
        new[] { "scan", "127.0.0.1", "1" },
    };

    public static TheoryData<string[]> Commands() => new()
    {
        new[] { "host" },
        new[] { "resolve" },
        new[] { "ip" },
        new[] { "ip", "aton" },
        new[] { "ip", "ntoa" },
        new[] { "ip", "pton" },
        new[] { "ip", "ntop" },
        new[] { "ip", "info" },
        new[] { "port" },
        new[] { "ping" },
        new[] { "scan" },
        new[] { "listen" },
        new[] { "connect" },
        new[] { "forward" },
        new[] { "demo", "sticky" },
    };

    [Theory]
    [MemberData(nameof(PlainRuns))]
    public async Task PipedOutputHasNoEscapeCodesEvenWithoutNoColor(string[] args)
    {
        var run = await RunWithEnvironmentAsync([], args);

        // Port 1 is closed, and scan with no open port exits 1 (the nc -z convention).
        Assert.Equal(args[0] == "scan" ? 1 : 0, run.ExitCode);
        Assert.NotEmpty(run.Stdout);
        Assert.DoesNotContain('\u001b', run.Stdout);
        Assert.DoesNotContain('\u001b', run.Stderr);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task EveryCommandHasHelpWithExamples(string[] command)
    {
        var run = await RunAsync([.. command, "--help"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Examples:", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("sockit " + string.Join(' ', command), run.Stdout, StringComparison.Ordinal);
    }
}
