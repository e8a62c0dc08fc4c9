using System.CommandLine;
using Microsoft.Extensions.Logging;
using Sockit.Addressing;
using Sockit.Cli.Commands.Udp;
using Sockit.Cli.Options;
using Sockit.Cli.Output;
using Sockit.Framing;
using Sockit.Services;
using Sockit.Connections;

namespace Sockit.Cli.Commands;

/// <summary>
/// <c>sockit connect HOST PORT</c> or <c>sockit connect ENDPOINT</c> (<c>[::1]:7000</c>, <c>tls://host:443</c>,
/// <c>unix:/path</c>): stdin to the server, replies to stdout, half-close done right (over TLS: close_notify, then FIN).
/// </summary>
internal static class ConnectCommand
{
    public static Command Create()
    {
        var host = new Argument<string>("HOST") { Description = "Server name or address (localhost, 127.0.0.1, ::1), or a whole endpoint with no PORT (127.0.0.1:7000, [::1]:7000, tls://example.com:443, unix:/path/to.sock, unix:@name)" };
        var port = new Argument<string?>("PORT") { Description = "Port number or service name (7000, http)", Arity = ArgumentArity.ZeroOrOne };
        var wait = new Option<string?>("--wait", "-w")
        {
            Description = "After stdin ends (FIN sent), wait at most this long for the server to close (default: until it closes)",
            HelpName = "T",
        };
        var timeout = new Option<string>("--timeout")
        {
            Description = "Connect timeout",
            DefaultValueFactory = _ => "10s",
            HelpName = "T",
        };
        var shared = new StreamOptions();
        var tls = new TlsOptions();
        var udp = new UdpCommandOptions();
        var client = new ClientOptions();
        var exec = new ExecOption("Run /bin/sh -c COMMAND with its stdin and stdout bound to the connection, instead of this terminal (ncat -c, socat EXEC); exit with its status");
        var command = new Command(
            "connect",
            "Connect to a TCP server (or TLS, or a Unix socket): stdin goes to it, its replies go to stdout. At the end of stdin, send FIN (half-close) and keep printing until the server closes.")
        {
            host, port, wait, timeout,
        };
        command.WithExamples(
            "printf 'ping\\n' | sockit connect 127.0.0.1 7000",
            "sockit connect localhost 9000 --framing length",
            "sockit connect [::1]:7000",
            "sockit connect tls://example.com:443 --alpn http/1.1 -v",
            "sockit connect 127.0.0.1 7000 --tls --pin sha256:AB12...",
            "sockit connect unix:/tmp/echo.sock",
            "sockit connect ::1 7000 --hex -v",
            "printf 'HELO me\\nQUIT\\n' | sockit connect mail.example.com smtp --crlf",
            "sockit connect localhost 7000 -6 --source [::1]:40000 --idle-timeout 30s",
            "printf 'ping\\n' | sockit connect --udp 127.0.0.1 9000",
            "sockit connect 127.0.0.1 7000 --exec 'echo hello; cat >&2'");
        shared.AddTo(command);
        client.AddTo(command);
        exec.AddTo(command);
        tls.AddToConnect(command);
        udp.AddToConnect(command);
        command.SetRun(async (result, cancellationToken) =>
        {
            var given = result.GetValue(port) is { } portText ? $"{result.GetValue(host)} {portText}" : result.GetValue(host)!;
            var target = tls.Apply(result, ParseTarget(result.GetValue(host)!, result.GetValue(port)));
            if (!target.IsUnix && (target.Host.IsAnyAddress || target.Host.Port == 0))
            {
                throw new UsageException($"'{given}' is not a server address: give a host and a non-zero port (HOST PORT, or HOST:PORT)");
            }

            var execOptions = exec.Get(result, shared.Framing, udp.Udp, wait);
            if (udp.IsUdp(result))
            {
                client.RefuseFor(result, "--udp", addressing: false);
                return !target.IsUnix && !target.UseTls
                    ? await udp.ConnectAsync(result, target.Host, client.GetConnectOptions(result), shared, result.GetValue(wait), cancellationToken)
                    : throw new UsageException($"--udp connects to HOST:PORT; '{given}' is a stream endpoint (unix: or TLS)");
            }

            if (target.IsUnix)
            {
                client.RefuseFor(result, "a unix: socket (it has no address family, no source address and no ports)");
            }

            var spec = shared.GetSpec(result, FrameSpec.Raw);
            var framing = shared.GetFramingOptions(result);
            var bridgeOptions = client.GetBridgeOptions(result, spec);
            var connectOptions = client.GetConnectOptions(result);
            var waitText = result.GetValue(wait);
            var waitAfterEof = waitText is null ? Timeout.InfiniteTimeSpan : Duration.Parse(waitText, "--wait");
            var connectTimeout = Duration.ParseTimeout(result.GetValue(timeout)!, "--timeout");

            // connect has one connection: its failure (reset, broken pipe) ends the command and is reported as the
            // command's one error line, so the warning the library logs on the way would say the same thing twice.
            var logger = shared.GetLogger(result, quietLevel: LogLevel.Error);
            var connection = await SocketConnector.ConnectAsync(
                target, connectTimeout, shared.GetConnectionOptions(result, framing), target.UseTls ? tls.Client(result) : null, logger, connectOptions, cancellationToken);
            if (execOptions is not null)
            {
                return await ConnectExec.RunAsync(connection, execOptions, logger, cancellationToken);
            }

            using var stdout = StandardOutput.Open();
            using var printer = new FramePrinter(stdout, spec);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, printer.OutputClosed);
            var bridge = new ConnectionBridge(connection, spec, framing, bridgeOptions);
            try
            {
                await bridge.RunAsync(StandardDescriptors.OpenInput(), printer, waitAfterEof, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Ctrl-C, or stdout is closed (nobody reads the replies any more): stop, and close the connection.
            }
            finally
            {
                // Ctrl-C, a closed stdout, --wait or --idle-timeout running out: whatever the server has not taken by now is dropped
                // (reset), not waited for forever; a server that stopped reading would otherwise hang the command.
                await connection.CloseAsync(TimeSpan.Zero);
            }

            StandardOutput.ThrowIfFailed(printer);
            if (connection.BytesDropped > 0 && !printer.OutputClosed.IsCancellationRequested)
            {
                throw new IOException($"{connection.BytesDropped} byte(s) of input were never sent: the server had not read them when connect stopped");
            }

            return ExitCode.Success;
        });
        return command;
    }

    /// <summary>
    /// <c>HOST PORT</c> (an IPv6 literal with or without brackets), or one endpoint: <c>HOST:PORT</c>, <c>[v6]:PORT</c>,
    /// <c>tls://HOST:PORT</c>, <c>unix:/path</c>, <c>unix:@name</c>.
    /// </summary>
    private static ConnectionEndpoint ParseTarget(string host, string? port)
    {
        if (port is null)
        {
            // One argument: an endpoint. A bare IPv6 literal has colons but no port, so it gets the endpoint's own error.
            return ConnectionEndpoint.Parse(host);
        }

        var bare = host.Trim('[', ']');
        return ConnectionEndpoint.Tcp(HostEndpoint.Parse(bare.Contains(':', StringComparison.Ordinal) ? $"[{bare}]:{port}" : $"{bare}:{port}"));
    }
}
