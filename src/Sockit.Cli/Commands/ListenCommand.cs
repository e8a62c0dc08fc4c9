using System.CommandLine;
using System.Net;
using Sockit.Addressing;
using Sockit.Cli.Commands.Udp;
using Sockit.Cli.Options;
using Sockit.Cli.Output;
using Sockit.Framing;
using Sockit.Services;
using Sockit.Connections;

namespace Sockit.Cli.Commands;

/// <summary>
/// <c>sockit listen ENDPOINT</c>: a server that keeps serving, in one of five modes, over TCP, a Unix domain socket
/// (<c>unix:/path</c>, <c>unix:@name</c>) or TLS over either (<c>tls://</c>, <c>--tls</c>).
/// </summary>
internal static class ListenCommand
{
    public static Command Create()
    {
        var endpoint = new Argument<string>("ENDPOINT")
        {
            Description = "Where to listen: 7000, :7000, 127.0.0.1:7000, [::1]:7000 (port 0 picks a free port), tls://:7000, unix:/path/to.sock, unix:@name",
        };
        var mode = new Option<ListenMode>("--mode", "-m")
        {
            Description = "stdio: clients to stdout, stdin to clients; echo: frames back; chat: lines to the others; broker: frames to the others; sink: discard and report",
            DefaultValueFactory = _ => ListenMode.Stdio,
        };
        var once = new Option<bool>("--once") { Description = "Serve one client, then exit" };
        var maxConns = new Option<int?>("--max-conns")
        {
            Description = "Open connections at most; a client over the limit is reset at once (default: 10000, or what ulimit -n allows)",
            HelpName = "N",
        };
        var maxPerIp = new Option<int?>("--max-conns-per-ip")
        {
            Description = "Open connections at most from one IP address; more are reset at once (default: no limit)",
            HelpName = "N",
        };
        var allow = new Option<string[]>("--allow")
        {
            Description = "Serve only clients in this subnet (CIDR, repeatable: --allow 127.0.0.0/8 --allow ::1/128); others are reset",
            HelpName = "CIDR",
            AllowMultipleArgumentsPerToken = false,
        };
        var deny = new Option<string[]>("--deny")
        {
            Description = "Reset clients in this subnet at accept (CIDR, repeatable); wins over --allow",
            HelpName = "CIDR",
            AllowMultipleArgumentsPerToken = false,
        };
        var frameTimeout = new Option<string>("--frame-timeout")
        {
            Description = "A frame that has started must finish within this long, or the client is reset (slowloris; 0 = never)",
            DefaultValueFactory = _ => "60s",
            HelpName = "T",
        };
        var drainTimeout = new Option<string>("--drain-timeout")
        {
            Description = "On Ctrl-C, how long to wait for queued data to be sent before resetting what is left",
            DefaultValueFactory = _ => "5s",
            HelpName = "T",
        };
        var maxMemory = new Option<string?>("--max-memory")
        {
            Description = "All connections' buffers together at most (e.g. 256MiB); past it reading pauses and clients that stopped reading are reset, largest first (default: 1/8 of memory, 64 MiB to 2 GiB)",
            HelpName = "SIZE",
        };
        var idle = new Option<string>("--idle-timeout")
        {
            Description = "Close a connection silent for this long (e.g. 30s, 5m; 0 = never)",
            DefaultValueFactory = _ => "5m",
            HelpName = "T",
        };
        var slow = new Option<string>("--slow-consumer-timeout")
        {
            Description = "Cut (reset) a chat, broker or stdio client whose queue stays full without progress for this long (0 = never)",
            DefaultValueFactory = _ => "10s",
            HelpName = "T",
        };
        var shared = new StreamOptions();
        var tls = new TlsOptions();
        var udp = new UdpCommandOptions();
        var exec = new ExecOption("Run /bin/sh -c COMMAND for each client, its stdin and stdout bound to the connection (ncat -c, socat EXEC); instead of --mode");

        var command = new Command("listen", "Serve TCP, TLS and Unix socket clients concurrently until Ctrl-C (or one client with --once).")
        {
            endpoint, mode, once, maxConns, maxPerIp, allow, deny, idle, frameTimeout, drainTimeout, slow, maxMemory,
        };
        command.WithExamples(
            "sockit listen 7000 --mode echo",
            "sockit listen 7000 --mode echo --tls",
            "sockit listen unix:/tmp/echo.sock --mode echo",
            "sockit listen 127.0.0.1:0 --mode chat -v",
            "sockit listen 9000 --mode echo --framing length --max-frame 64k",
            "sockit listen 9000 --mode sink --framing line",
            "sockit listen --udp 9000 --mode echo",
            "sockit listen 7000 --exec 'wc -c'");
        shared.AddTo(command);
        exec.AddTo(command);
        tls.AddToListen(command);
        udp.AddToListen(command);
        command.SetRun(async (result, cancellationToken) =>
        {
            var where = tls.Apply(result, ConnectionEndpoint.Parse(result.GetValue(endpoint)!));
            var chosen = result.GetValue(mode);
            var execOptions = exec.Get(result, mode, shared.Framing, udp.Udp);
            var spec = shared.GetSpec(result, chosen == ListenMode.Chat ? FrameSpec.Line : FrameSpec.Raw);
            if (chosen == ListenMode.Chat && spec.Kind != FrameKind.Line)
            {
                throw new UsageException($"--framing: chat speaks line framing, not '{spec}'");
            }

            var framing = shared.GetFramingOptions(result);
            var idleTimeout = Duration.Parse(result.GetValue(idle)!, "--idle-timeout");
            var slowConsumerTimeout = Duration.Parse(result.GetValue(slow)!, "--slow-consumer-timeout");
            var limit = result.GetValue(maxConns);
            if (limit < 1)
            {
                throw new UsageException($"--max-conns: '{limit}' must be at least 1");
            }

            var perIp = result.GetValue(maxPerIp) ?? int.MaxValue;
            if (perIp < 1)
            {
                throw new UsageException($"--max-conns-per-ip: '{perIp}' must be at least 1");
            }

            if (where.IsUnix)
            {
                RefuseAddressRules(result, allow, deny, maxPerIp);
            }

            EndPoint bindTo = where.IsUnix ? where.ToUnixEndPoint()
                : new IPEndPoint(where.Host.IsAnyAddress ? IPAddress.IPv6Any : (await where.Host.ResolveAsync(cancellationToken))[0], where.Host.Port);
            if (udp.IsUdp(result))
            {
                return bindTo is IPEndPoint udpEndPoint && !where.UseTls
                    ? await udp.ListenAsync(result, udpEndPoint, chosen, spec, framing, idleTimeout, limit ?? 10_000, shared, cancellationToken)
                    : throw new UsageException($"--udp listens on HOST:PORT; '{where}' is a stream endpoint (unix: or TLS)");
            }

            var options = new SocketServerOptions
            {
                EndPoint = bindTo,
                Tls = where.UseTls ? tls.Server(result, BoundAddresses(bindTo)) : null,
                MaxConnections = result.GetValue(once) ? 1 : limit,
                MaxConnectionsPerAddress = perIp,
                Allow = ParseSubnets(result.GetValue(allow), "--allow"),
                Deny = ParseSubnets(result.GetValue(deny), "--deny"),
                IdleTimeout = OffWhenZero(idleTimeout),
                FrameTimeout = OffWhenZero(Duration.Parse(result.GetValue(frameTimeout)!, "--frame-timeout")),
                DrainTimeout = Duration.Parse(result.GetValue(drainTimeout)!, "--drain-timeout"),
                MaxBufferedBytes = ParseMaxMemory(result.GetValue(maxMemory)),
                Connection = shared.GetConnectionOptions(result, framing),
            };

            using var stdout = StandardOutput.Open();
            using var printer = new FramePrinter(stdout, spec);
            var logger = shared.GetLogger(result);
            var fanoutOptions = FanoutOptions.Default with
            {
                SlowConsumerTimeout = OffWhenZero(slowConsumerTimeout),
            };
            RelayService? relay = null;
            IConnectionHandler handler = execOptions is not null ? new ExecService(execOptions, logger) : chosen switch
            {
                ListenMode.Echo => new EchoService(spec, framing),
                ListenMode.Chat => new ChatService(framing, fanoutOptions, logger),
                ListenMode.Broker => new BrokerService(spec, framing, fanoutOptions, logger),
                ListenMode.Sink => new SinkService(spec, framing, report => Console.Out.WriteLine(report)),
                _ => relay = new RelayService(spec, framing, printer, fanoutOptions, logger),
            };
            var fanout = handler switch
            {
                ChatService chat => chat.Fanout,
                BrokerService broker => broker.Fanout,
                _ => relay?.Fanout,
            };
            var firstDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (result.GetValue(once))
            {
                handler = new SignalWhenDone(handler, firstDone);
            }

            if (relay is null && !result.GetValue(shared.Hex))
            {
                // Handlers that never block on the console (exec writes its children's stderr from the thread pool): run them inline on a few epoll threads (a quarter of
                // the cores), not on the thread pool. See SocketEngine and docs/performance.md.
                SocketEngine.UseInlineCompletions(Math.Max(1, Environment.ProcessorCount / 4));
            }

            await using var server = new SocketServer(options, handler, logger);
            server.Start();
            if (tls.SelfSignedNotice is { } notice)
            {
                Console.Error.WriteLine(notice);
            }

            var transport = (where.IsUnix ? "unix" : "tcp") + (where.UseTls ? " with tls" : "");
            ListeningLine.Write(server.LocalEndPoint, $"{transport}, backlog {options.Backlog}, mode {(execOptions is null ? chosen.ToString().ToLowerInvariant() : "exec")}, framing {spec}");

            if (relay is not null)
            {
                // stdin to every connected client; the server keeps serving after stdin ends. Not awaited: a
                // console read cannot be cancelled, and Ctrl-C must not wait for a line that never comes.
                _ = RelayStdinAsync(relay, result.GetValue(once), cancellationToken);
            }

            try
            {
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, printer.OutputClosed);
                await firstDone.Task.WaitAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C, SIGTERM or a closed stdout (nobody reads what the clients send): stop gracefully below.
            }

            await server.StopAsync();

            // Nothing lost silently, even without -v: one line when any client was reset or queued data dropped. Not
            // when stdout was closed: that reader asked for nothing more, and stops quietly like `yes | head`.
            var dropped = server.BytesDropped + (fanout?.BytesDropped ?? 0);
            if ((server.ResetCount > 0 || dropped > 0) && !printer.OutputClosed.IsCancellationRequested)
            {
                CommandRunner.Error($"stopped: {server.ResetCount} connection(s) reset by this server with data unsent or unread"
                    + (fanout is { SlowConsumersCut: > 0 and var cut } ? $" ({cut} slow consumer(s) cut)" : "")
                    + $", {dropped} queued byte(s) never delivered");
            }

            if (server.HandshakeFailures > 0)
            {
                CommandRunner.Error($"{server.HandshakeFailures} client(s) closed because their TLS handshake failed or did not finish within the handshake timeout (-v names each)");
            }

            StandardOutput.ThrowIfFailed(printer);
            return ExitCode.Success;
        });
        return command;
    }

    /// <summary>
    /// Sends stdin to the clients as fast as they take it (each line; raw: each chunk); with <c>--once</c> its end
    /// sends FIN after the queued data. Observes and reports its own failures.
    /// </summary>
    private static async Task RelayStdinAsync(RelayService relay, bool once, CancellationToken cancellationToken)
    {
        try
        {
            // A line the framing cannot carry (fixed:4 and a 7-byte line, delim:\0 and a \0 in it) is refused
            // before any client gets it: say so and relay the next one.
            await relay.RelayInputAsync(StandardDescriptors.OpenInput(), finishAtEnd: once,
                ex => CommandRunner.Error("stdin line not sent: " + CommandRunner.Describe(ex)), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (IOException ex)
        {
            CommandRunner.Error("stdin: " + ex.Message);
        }
    }

    /// <summary>The address rules judge IP addresses; a Unix socket's clients are judged by the file's permissions.</summary>
    private static void RefuseAddressRules(ParseResult result, params Option[] rules)
    {
        if (rules.FirstOrDefault(o => result.GetResult(o) is { Implicit: false }) is { } rule)
        {
            throw new UsageException($"{rule.Name} judges IP addresses; a unix: listener's clients are limited by the socket file's permissions");
        }
    }

    /// <summary>The addresses a self-signed certificate names: the bound one, or every interface's for a wildcard.</summary>
    private static IEnumerable<IPAddress> BoundAddresses(EndPoint bound) => bound switch
    {
        IPEndPoint ip when ip.Address.Equals(IPAddress.IPv6Any) || ip.Address.Equals(IPAddress.Any) =>
            System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(u => u.Address).Where(a => a.ScopeId == 0),
        IPEndPoint ip => [ip.Address],
        _ => [],
    };

    private static TimeSpan OffWhenZero(TimeSpan value) => value == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : value;

    private static Subnet[] ParseSubnets(string[]? texts, string option) =>
        (texts ?? []).Select(text => Subnet.TryParse(text, out var subnet, out var error)
            ? subnet
            : throw new UsageException($"{option}: '{text}' is not a subnet ({error}); write e.g. 127.0.0.0/8 or ::1/128")).ToArray();

    private static long ParseMaxMemory(string? text)
    {
        if (text is null)
        {
            return MemoryBudget.DefaultLimit;
        }

        var bytes = ByteSize.Parse(text, "--max-memory");
        return bytes >= 1 << 20 ? bytes : throw new UsageException($"--max-memory: '{text}' is too small (at least 1MiB)");
    }

    /// <summary>For <c>--once</c>: tells the command when the one client is done.</summary>
    private sealed class SignalWhenDone(IConnectionHandler inner, TaskCompletionSource done) : IConnectionHandler
    {
        public async ValueTask HandleAsync(Connection connection, CancellationToken stopping)
        {
            try
            {
                await inner.HandleAsync(connection, stopping);
            }
            finally
            {
                done.TrySetResult();
            }
        }
    }
}
