using Sockit.Cli.Tests.Infrastructure;

namespace Sockit.Cli.Tests;

public sealed class ExitCodeTests
{
    [Fact]
    public async Task UnknownOptionIsOneLineAndExitCode2()
    {
        var (code, stdout, stderr) = await SockitProcess.RunAsync(null, "--no-such-option");

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("sockit: ", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("--no-such-option", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VersionPrintsAndExits0()
    {
        var (code, stdout, _) = await SockitProcess.RunAsync(null, "--version");

        Assert.Equal(0, code);
        Assert.Matches(@"^\d+\.\d+\.\d+", stdout);
    }
}
