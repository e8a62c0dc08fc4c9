using System.CommandLine;
using System.Net;
using Sockit.Addressing;
using Sockit.Cluster;
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
        var slow = new Option<string>("--slow-consumer-timeout")
        {
            Description = "Cut (reset) a chat, broker or stdio client whose queue stays full without progress for this long (0 = never)",
            DefaultValueFactory = _ => "10s",
            HelpName = "T",
        };
        var shared = new StreamOptions();
        var operating = new ServerOptions();
        var tls = new TlsOptions();
        var udp = new UdpCommandOptions();
        var backplane = new BackplaneOptions();
        var exec = new ExecOption("Run /bin/sh -c COMMAND for each client, its stdin and stdout bound to the connection (ncat -c, socat EXEC); instead of --mode");

        var command = new Command("listen", "Serve TCP, TLS and Unix socket clients concurrently until Ctrl-C (or one client with --once).")
        {
            endpoint, mode, once,
        };
        command.WithExamples(
            "sockit listen 7000 --mode echo",
            "sockit listen 7000 --mode echo --tls",
            "sockit listen unix:/tmp/echo.sock --mode echo",
            "sockit listen 127.0.0.1:0 --mode chat -v",
            "sockit listen 7000 --mode chat --backplane redis://127.0.0.1:6379 --room lobby",
            "sockit listen 9000 --mode echo --framing length --max-frame 64k",
            "sockit listen 9000 --mode sink --framing line",
            "sockit listen --udp 9000 --mode echo",
            "sockit listen 7000 --exec 'wc -c'");
        operating.AddTo(command, slow);
        backplane.AddTo(command);
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
            var idleTimeout = operating.IdleTimeout(result);
            var slowConsumerTimeout = Duration.Parse(result.GetValue(slow)!, "--slow-consumer-timeout");
            var logger = shared.GetLogger(result);
            await using var cluster = await backplane.ConnectAsync(result, chosen, execOptions is not null ? "--exec" : udp.IsUdp(result) ? "--udp" : null, logger);
            var bindTo = await operating.BindAsync(result, where, cancellationToken);
            if (udp.IsUdp(result))
            {
                return bindTo is IPEndPoint udpEndPoint && !where.UseTls
                    ? await udp.ListenAsync(result, udpEndPoint, chosen, spec, framing, idleTimeout, operating.Limit(result) ?? 10_000, shared, cancellationToken)
                    : throw new UsageException($"--udp listens on HOST:PORT; '{where}' is a stream endpoint (unix: or TLS)");
            }

            var options = operating.Build(
                result,
                bindTo,
                where.UseTls ? tls.Server(result, ServerOptions.BoundAddresses(bindTo)) : null,
                shared.GetConnectionOptions(result, framing),
                result.GetValue(once) ? 1 : null);

            using var stdout = StandardOutput.Open();
            using var printer = new FramePrinter(stdout, spec);
            var fanoutOptions = FanoutOptions.Default with
            {
                SlowConsumerTimeout = ServerOptions.OffWhenZero(slowConsumerTimeout),
            };
            var members = new Fanout(spec, fanoutOptions, logger);
            IFanoutRoom room = cluster is null ? new LocalRoom(members) : await backplane.OpenRoomAsync(result, cluster, chosen, members, cancellationToken);
            RelayService? relay = null;
            IConnectionHandler handler = execOptions is not null ? new ExecService(execOptions, logger) : chosen switch
            {
                ListenMode.Echo => new EchoService(spec, framing),
                ListenMode.Chat => new ChatService(room, framing),
                ListenMode.Broker => new BrokerService(spec, room, framing),
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
            ListeningLine.Write(server.LocalEndPoint, $"{transport}, backlog {options.Backlog}, mode {(execOptions is null ? chosen.ToString().ToLowerInvariant() : "exec")}, framing {spec}{(room is RedisRoom spanning ? $", room {spanning.Name} via redis at {cluster!.Redis}" : "")}");

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
            ServerOptions.ReportStop(
                server,
                fanout?.BytesDropped ?? 0,
                fanout is { SlowConsumersCut: > 0 and var cut } ? $" ({cut} slow consumer(s) cut)" : "",
                quiet: printer.OutputClosed.IsCancellationRequested);

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
}
