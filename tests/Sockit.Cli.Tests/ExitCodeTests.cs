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

    [Theory]
    [InlineData(new[] { "listen", "0", "--mode", "bogus" }, "'bogus' is not a valid --mode: use stdio, echo, chat, broker, sink (see 'sockit listen --help')")]
    [InlineData(new[] { "bench", "127.0.0.1:1", "--conns", "x" }, "--conns takes a whole number, not 'x' (see 'sockit bench --help')")]
    [InlineData(new[] { "demo", "sticky", "-n", "5x" }, "--count takes a whole number, not '5x' (see 'sockit demo sticky --help')")]
    [InlineData(new[] { "listen", "0", "--on-bad-frame", "explode" }, "'explode' is not a valid --on-bad-frame: use close, skip (see 'sockit listen --help')")]
    public async Task AValueThatDoesNotParseIsOneLineInTheUsersWordsWithNoDotNetTypeAndExit2(string[] args, string expected)
    {
        var (code, stdout, stderr) = await SockitProcess.RunAsync(null, args);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Equal($"sockit: {expected}\n", stderr);
    }

    [Theory]
    [InlineData(new[] { "send" }, "missing TARGET and PATH (usage: sockit send TARGET PATH... [options]; see 'sockit send --help')")]
    [InlineData(new[] { "send", "127.0.0.1:7000" }, "missing PATH (usage: sockit send TARGET PATH... [options]; see 'sockit send --help')")]
    [InlineData(new[] { "send", "--json" }, "missing TARGET and PATH (usage: sockit send TARGET PATH... [options]; see 'sockit send --help')")]
    [InlineData(new[] { "connect" }, "missing HOST (usage: sockit connect HOST [PORT] [options]; see 'sockit connect --help')")]
    [InlineData(new[] { "ip", "aton" }, "missing ADDRESS (usage: sockit ip aton ADDRESS [options]; see 'sockit ip aton --help')")]
    public async Task AMissingArgumentIsNamedWithTheUsageInOneLineAndExit2(string[] args, string expected)
    {
        var (code, stdout, stderr) = await SockitProcess.RunAsync(null, args);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Equal($"sockit: {expected}\n", stderr);
    }

    [Theory]
    [InlineData("connect", "127.0.0.1:7", "--timeout", "0")]
    [InlineData("scan", "127.0.0.1", "7", "--timeout", "0s")]
    [InlineData("ping", "127.0.0.1", "-p", "7", "--timeout", "0ms")]
    [InlineData("send", "127.0.0.1:7", "/etc/passwd", "--timeout", "0")]
    [InlineData("forward", "127.0.0.1:0", "127.0.0.1:7", "--timeout", "0")]
    public async Task AZeroTimeoutIsRefusedTheSameWayOnEveryCommand(params string[] args)
    {
        var (code, stdout, stderr) = await SockitProcess.RunAsync(null, args);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Matches(@"^sockit: --timeout: '0(s|ms)?' is no time at all: give a timeout above 0 \(e\.g\. 500ms, 2s\)\n$", stderr);
    }

    [Fact]
    public async Task VersionPrintsAndExits0()
    {
        var (code, stdout, _) = await SockitProcess.RunAsync(null, "--version");

        Assert.Equal(0, code);
        Assert.Matches(@"^\d+\.\d+\.\d+", stdout);
    }
}
