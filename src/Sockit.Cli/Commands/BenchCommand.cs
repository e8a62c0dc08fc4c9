using System.CommandLine;
using Sockit.Addressing;
using Sockit.Cli.Options;
using Sockit.Cli.Output;
using Sockit.Cli.Output.Json;
using Sockit.Connections;
using Sockit.Framing;
using Sockit.Load;

namespace Sockit.Cli.Commands;

/// <summary>
/// <c>sockit bench HOST PORT</c> or <c>sockit bench ENDPOINT</c> (<c>127.0.0.1:7000</c>, <c>tls://127.0.0.1:7000</c>,
/// <c>unix:/path</c>, <c>unix:@name</c>): echo load with every reply checked and latency percentiles.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var host = new Argument<string>("HOST")
        {
            Description = "The echo server's host name or address, or a whole endpoint with no PORT (127.0.0.1:7000, tls://127.0.0.1:7000, unix:/path/to.sock, unix:@name).",
        };
        var port = new Argument<string?>("PORT") { Description = "The echo server's TCP port: a number or a service name.", Arity = ArgumentArity.ZeroOrOne };
        var tls = new TlsOptions();
        var conns = new Option<int>("--conns", "-c") { Description = "Concurrent connections.", DefaultValueFactory = _ => 1 };
        var size = new Option<string>("--size", "-s") { Description = "Payload bytes per message, at least 24: 32, 1k, 64KiB.", DefaultValueFactory = _ => "32" };
        var depth = new Option<int>("--depth", "-d") { Description = "Messages each connection keeps in flight (1: ping-pong).", DefaultValueFactory = _ => 1 };
        var duration = new Option<string>("--duration", "-t") { Description = "How long to measure: 10s, 500ms, 1m.", DefaultValueFactory = _ => "10s" };
        var warmup = new Option<string>("--warmup", "-w") { Description = "Load before measuring, not counted.", DefaultValueFactory = _ => "1s" };
        var framing = new Option<string>("--framing", "-f") { Description = $"Framing of messages and replies: {FrameSpec.Accepted}.", DefaultValueFactory = _ => "length" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document instead of the table." };
        var hgrm = new Option<string?>("--hgrm") { Description = "Write HdrHistogram's percentile distribution (milliseconds) to FILE." };

        var command = new Command("bench", "Echo load: N connections x D messages in flight, every reply checked, latency from an HdrHistogram.")
        {
            host, port, conns, size, depth, duration, warmup, framing, json, hgrm,
        };
        tls.AddToConnect(command, clientCertificate: false);
        command.SetRun(async (parseResult, cancellationToken) =>
        {
            // The bench never blocks in socket continuations: it drives a server like a single-threaded C client.
            SocketEngine.UseInlineCompletions();
            var target = tls.Apply(parseResult, ParseTarget(parseResult.GetValue(host)!, parseResult.GetValue(port)));
            if (!target.IsUnix && (target.Host.IsAnyAddress || target.Host.Port == 0))
            {
                throw new UsageException($"'{target}' is not a server address: give a host and a non-zero port (HOST PORT, or HOST:PORT)");
            }

            var options = new EchoLoadOptions
            {
                Endpoint = target,
                Tls = target.UseTls ? tls.Client(parseResult) : null,
                Connections = parseResult.GetValue(conns),
                MessageSize = ParseSize(parseResult.GetValue(size)!),
                Depth = parseResult.GetValue(depth),
                Duration = Duration.Parse(parseResult.GetValue(duration)!, "--duration"),
                Warmup = Duration.Parse(parseResult.GetValue(warmup)!, "--warmup"),
                Framing = FrameSpec.Parse(parseResult.GetValue(framing)!),
            };
            var generator = new EchoLoadGenerator(options);
            var hgrmPath = parseResult.GetValue(hgrm);
            if (hgrmPath is not null && !Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(hgrmPath))))
            {
                throw new UsageException($"--hgrm: the directory of '{hgrmPath}' does not exist");
            }

            EchoLoadResult result;
            using (var progress = Console.IsErrorRedirected ? null : ProgressLine.Start(generator))
            {
                result = await generator.RunAsync(cancellationToken);
            }

            if (parseResult.GetValue(json))
            {
                JsonOutput.WriteDocument(BenchDocument.From(result), SockitJson.Default.BenchDocument);
            }
            else
            {
                BenchReport.WriteText(result, Console.Out);
            }

            if (hgrmPath is not null)
            {
                BenchReport.WriteHgrm(result, hgrmPath);
            }

            if (result.Verified == 0 && result.Sent > 0)
            {
                // Not "the server closed the connection": what the user needs to hear is that nothing came back.
                CommandRunner.Error($"no replies: {result.Sent:N0} message(s) sent, none echoed back"
                    + (result.FirstError is null ? " (is it an echo server, with the same --framing?)" : $"; {result.FirstError}"));
            }
            else if (result.FirstError is not null)
            {
                CommandRunner.Error(result.FirstError);
            }
            else if (result.HasErrors)
            {
                CommandRunner.Error($"{result.Lost} lost, {result.Reordered} reordered, {result.Corrupted} corrupted replies");
            }

            return result.HasErrors ? ExitCode.Failure : ExitCode.Success;
        });
        command.WithExamples(
            "sockit bench 127.0.0.1:7000 --conns 64 --depth 16 --duration 10s",
            "sockit bench 127.0.0.1 7000 --size 65536 --depth 4 --framing length",
            "sockit bench tls://127.0.0.1:7443 --pin sha256:HEX",
            "sockit bench unix:/tmp/echo.sock --json");
        return command;
    }

    // HOST PORT (an IPv6 literal with or without brackets), or one endpoint: HOST:PORT, [v6]:PORT, tls://HOST:PORT,
    // unix:/path, unix:@name.
    private static ConnectionEndpoint ParseTarget(string host, string? port) =>
        port is null
            ? ConnectionEndpoint.Parse(host)
            : ConnectionEndpoint.Tcp(HostEndpoint.FromHost(host.Trim('[', ']'), ParsePort(port)));

    // A number or a service name (echo, http…), as everywhere a port is taken.
    private static int ParsePort(string text) => PortNumber.ParseNumberOrService(text, ServiceTable.Default);

    private static int ParseSize(string text)
    {
        var size = ByteSize.Parse(text, "--size");
        return size <= int.MaxValue ? (int)size : throw new UsageException($"--size: '{text}' is too large");
    }
}
