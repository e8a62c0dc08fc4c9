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

    [Theory]
    [MemberData(nameof(PlainRuns))]
    public async Task PipedOutputHasNoEscapeCodesEvenWithoutNoColor(string[] args)
    {
        var run = await RunWithEnvironmentAsync([], args);

        Assert.Equal(0, run.ExitCode);
        Assert.NotEmpty(run.Stdout);
        Assert.DoesNotContain('\u001b', run.Stdout);
        Assert.DoesNotContain('\u001b', run.Stderr);
    }

    [Fact]
    public async Task EveryCommandInTheHelpFollowsItsConventions()
    {
        // Every command the help lists, found by walking the help itself, so a new command cannot be forgotten.
        var pending = new Queue<string[]>([[]]);
        var seen = 0;
        while (pending.TryDequeue(out var command))
        {
            var run = await RunAsync([.. command, "--help"]);
            var where = "sockit " + string.Join(' ', command);
            Assert.True(run.ExitCode == 0, where);
            foreach (var line in run.Stdout.Split('\n'))
            {
                Assert.False(line.Contains("(default", StringComparison.Ordinal) && line.Contains("[default:", StringComparison.Ordinal), $"{where}: the default is stated twice: {line}");
                Assert.DoesNotMatch(@"<[a-z][a-z]*>|<[A-Z][a-z]+\|", line); // placeholders in uppercase, choices in lowercase
                Assert.DoesNotMatch(@"\[default: [A-Z][a-z]", line);
            }

            if (command.Length > 0)
            {
                Assert.True(run.Stdout.Contains("Examples:", StringComparison.Ordinal), $"{where} has no examples");
            }

            var sub = run.Stdout.Split("Commands:\n") is [_, var list] ? list.Split("\n\n")[0] : "";
            foreach (var row in sub.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                pending.Enqueue([.. command, row.Trim().Split(' ')[0]]);
            }

            seen++;
        }

        Assert.True(seen >= 15, $"only {seen} commands found in the help");
    }
}
