using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Sockit.Cli.Tests.Infrastructure;

namespace Sockit.Cli.Tests.NetworkFacts;

/// <summary>Shared steps of the network-facts CLI tests.</summary>
internal static class FactsCli
{
    /// <summary>Runs <c>sockit ARGS</c> with stdin closed.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args) => SockitProcess.RunAsync(null, args);

    /// <summary>Runs <c>sockit ARGS</c> piped but with NO_COLOR unset and a colour terminal type, plus <paramref name="environment"/>
    /// (NAME=VALUE): what a script sees.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunWithEnvironmentAsync(string[] environment, params string[] args) =>
        ExternalTool.RunAsync("env", ["-u", "NO_COLOR", "TERM=xterm-256color", .. environment, SockitProcess.ExecutablePath, .. args]);

    /// <summary>Asserts exit code 2 (or <paramref name="exitCode"/>), nothing on stdout, and exactly one stderr line
    /// <c>sockit: 'VALUE' …</c> naming the bad value.</summary>
    public static void AssertOneLineError((int ExitCode, string Stdout, string Stderr) run, string value, int exitCode = 2)
    {
        Assert.Equal(exitCode, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Single(run.Stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("sockit: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", run.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Asserts stdout is exactly one JSON document (an object) and returns it.</summary>
    public static JsonElement Json((int ExitCode, string Stdout, string Stderr) run)
    {
        using var document = JsonDocument.Parse(run.Stdout);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        return document.RootElement.Clone();
    }

    /// <summary>A listener on 127.0.0.1 port 0 (the system picks a free port).</summary>
    public static TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    /// <summary>A 127.0.0.1 port with nothing listening: bound on port 0, read, released.</summary>
    public static int ClosedPort()
    {
        var listener = Listen();
        var port = Port(listener);
        listener.Stop();
        return port;
    }

    /// <summary>The port a listener got.</summary>
    public static int Port(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;
}
