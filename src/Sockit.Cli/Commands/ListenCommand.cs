using System.CommandLine;
using System.Net;
using Sockit.Addressing;
using Sockit.Cli.Commands.Udp;
using Sockit.Cli.Options;
using Sockit.Cli.Output;
using Sockit.Framing;
using Sockit.Services;
using Sockit.Tcp;

namespace Sockit.Cli.Commands;

/// <summary><c>sockit listen [HOST:]PORT</c>: a TCP server that keeps serving, in one of five modes.</summary>
internal static class ListenCommand
{
    public static Command Create()
    {
        var endpoint = new Argument<string>("[HOST:]PORT")
        {
            Description = "Where to listen: 7000, :7000, 127.0.0.1:7000, [::1]:7000; port 0 picks a free port",
        };
        var mode = new Option<ListenMode>("--mode", "-m")
        {
            Description = "stdio: clients to stdout, stdin to clients; echo: frames back; chat: lines to the others; broker: frames to the others; sink: discard and report",
            DefaultValueFactory = _ => ListenMode.Stdio,
        };
        var once = new Option<bool>("--once") { Description = "Serve one client, then exit" };
        var maxConns = new Option<int>("--max-conns")
        {
            Description = "Open connections at most; a client over the limit is closed at once",
            DefaultValueFactory = _ => 10_000,
        };
        var idle = new Option<string>("--idle-timeout")
        {
            Description = "Close a connection silent for this long (e.g. 30s, 5m; 0 = never)",
            DefaultValueFactory = _ => "5m",
            HelpName = "T",
        };
        var shared = new ConnectionOptions();
        var udp = new UdpCommandOptions();

        var command = new Command("listen", "Serve TCP clients concurrently until Ctrl-C (or one client with --once).")
        {
            endpoint, mode, once, maxConns, idle,
        };
        command.WithExamples(
            "sockit listen 7000 --mode echo",
            "sockit listen 127.0.0.1:0 --mode chat -v",
            "sockit listen 9000 --mode echo --framing length --max-frame 64k",
            "sockit listen 9000 --mode sink --framing line",
            "sockit listen --udp 9000 --mode echo");
        shared.AddTo(command);
        udp.AddToListen(command);
        command.SetRun(async (result, cancellationToken) =>
        {
            var where = HostEndpoint.Parse(result.GetValue(endpoint)!);
            var chosen = result.GetValue(mode);
            var spec = shared.GetSpec(result, chosen == ListenMode.Chat ? FrameSpec.Line : FrameSpec.Raw);
            if (chosen == ListenMode.Chat && spec.Kind != FrameKind.Line)
            {
                throw new UsageException($"--framing: chat speaks line framing, not '{spec}'");
            }

            var framing = shared.GetFramingOptions(result);
            var idleTimeout = Duration.Parse(result.GetValue(idle)!, "--idle-timeout");
            var limit = result.GetValue(maxConns);
            if (limit < 1)
            {
                throw new UsageException($"--max-conns: '{limit}' must be at least 1");
            }

            var address = where.IsAnyAddress ? IPAddress.IPv6Any : (await where.ResolveAsync(cancellationToken))[0];
            if (udp.IsUdp(result))
            {
                return await udp.ListenAsync(result, new IPEndPoint(address, where.Port), chosen, spec, framing, idleTimeout, limit, shared, cancellationToken);
            }

            var options = new TcpServerOptions
            {
                EndPoint = new IPEndPoint(address, where.Port),
                MaxConnections = result.GetValue(once) ? 1 : limit,
                IdleTimeout = idleTimeout == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : idleTimeout,
                Connection = shared.GetTcpOptions(result, framing),
            };

            using var stdout = StandardOutput.Open();
            using var printer = new FramePrinter(stdout, spec);
            RelayService? relay = null;
            ITcpConnectionHandler handler = chosen switch
            {
                ListenMode.Echo => new EchoService(spec, framing),
                ListenMode.Chat => new ChatService(framing),
                ListenMode.Broker => new BrokerService(spec, framing),
                ListenMode.Sink => new SinkService(spec, framing, report => Console.Out.WriteLine(report)),
                _ => relay = new RelayService(spec, framing, printer),
            };
            var firstDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (result.GetValue(once))
            {
                handler = new SignalWhenDone(handler, firstDone);
            }

            if (relay is null && !result.GetValue(shared.Hex))
            {
                // Handlers that never block on the console: run them inline on a few epoll threads (a quarter of
                // the cores), not on the thread pool. See SocketEngine and docs/performance.md.
                SocketEngine.UseInlineCompletions(Math.Max(1, Environment.ProcessorCount / 4));
            }

            await using var server = new TcpServer(options, handler, shared.GetLogger(result));
            server.Start();
            ListeningLine.Write(server.LocalEndPoint, $"tcp, backlog {options.Backlog}, mode {chosen.ToString().ToLowerInvariant()}, framing {spec}");

            if (relay is not null)
            {
                // stdin to every connected client; the server keeps serving after stdin ends. Not awaited: a
                // console read cannot be cancelled, and Ctrl-C must not wait for a line that never comes.
                _ = RelayStdinAsync(relay, spec, cancellationToken);
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
            StandardOutput.ThrowIfFailed(printer);
            return ExitCode.Success;
        });
        return command;
    }

    /// <summary>Sends each stdin line (raw: each chunk) to every client; observes and reports its own failures.</summary>
    private static async Task RelayStdinAsync(RelayService relay, FrameSpec spec, CancellationToken cancellationToken)
    {
        try
        {
            await InputFrames.ReadAllAsync(Console.OpenStandardInput(), spec, frame =>
            {
                try
                {
                    relay.Broadcast(frame);
                }
                catch (ArgumentException ex)
                {
                    // A line the framing cannot carry (fixed:4 and a 7-byte line, delim:\0 and a \0 in it) is
                    // refused before any client gets it: say so and relay the next one.
                    CommandRunner.Error("stdin line not sent: " + CommandRunner.Describe(ex));
                }

                return ValueTask.CompletedTask;
            }, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (IOException ex)
        {
            CommandRunner.Error("stdin: " + ex.Message);
        }
    }

    /// <summary>For <c>--once</c>: tells the command when the one client is done.</summary>
    private sealed class SignalWhenDone(ITcpConnectionHandler inner, TaskCompletionSource done) : ITcpConnectionHandler
    {
        public async ValueTask HandleAsync(TcpConnection connection, CancellationToken stopping)
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
