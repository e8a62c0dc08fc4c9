using Sockit.Cli.Tests.Infrastructure;

namespace Sockit.Cli.Tests.Tcp;

/// <summary>A bare port listens on every interface, and the listening line says so; <c>127.0.0.1:PORT</c> does not.</summary>
public sealed class ListeningLineTests
{
    [SkippableTheory]
    [InlineData("tcp", "all interfaces; tcp, backlog 512, mode echo, framing raw")]
    [InlineData("udp", "all interfaces; udp, mode echo, framing raw")]
    public async Task ABarePortSaysItListensOnAllInterfaces(string protocol, string details)
    {
        // In a network namespace of its own (only its loopback), binding every interface exposes nothing.
        var (code, _, _) = await ExternalTool.RunAsync("unshare", ["-rn", "true"], "");
        Skip.If(code != 0, "unshare -rn (a user and network namespace) is not available here");
        string[] udp = protocol == "udp" ? ["--udp"] : [];
        await using var server = SockitProcess.StartProgram("unshare", ["-rn", SockitProcess.ExecutablePath, "listen", "0", "--mode", "echo", .. udp]);

        var line = await server.WaitForStderrLineAsync(l => l.Contains("listening on", StringComparison.Ordinal));
        server.Terminate(); // not SIGINT: a test run may have it ignored, and the child would inherit that

        Assert.Matches(@"^sockit: listening on \[::\]:[1-9][0-9]* \(" + System.Text.RegularExpressions.Regex.Escape(details) + @"\)$", line);
        Assert.Equal(0, await server.WaitForExitAsync());
    }

    [Fact]
    public async Task ALoopbackAddressDoesNotSayAllInterfaces()
    {
        await using var server = await TcpCli.ListenAsync("--mode", "echo");

        Assert.Matches(@"^sockit: listening on 127\.0\.0\.1:[1-9][0-9]* \(tcp, backlog 512, mode echo, framing raw\)\n$", server.Stderr);
    }
}
