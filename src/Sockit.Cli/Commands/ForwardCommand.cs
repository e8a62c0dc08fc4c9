using System.CommandLine;
using System.CommandLine.Parsing;
using Sockit.Cli.Commands.Udp;
using Sockit.Cli.Options;
using Sockit.Cli.Output;
using Sockit.Connections;
using Sockit.Framing;
using Sockit.Services;

namespace Sockit.Cli.Commands;

/// <summary>
/// <c>sockit forward LISTEN TARGET</c>: a port forwarder between any two stream endpoints (TCP, TLS, Unix). Each
/// client gets its own connection to TARGET; half-close and reset are relayed both ways; <c>--hex</c> dumps both
/// directions and <c>--framing SPEC</c> prints one line per message (the inspector). The work is
/// <see cref="ForwardService"/>'s; this is the command line around it. With <c>--udp</c>, a UDP relay with a session
/// per client address (<see cref="UdpForward"/>).
/// </summary>
internal static class ForwardCommand
{
    public static Command Create()
    {
        var listen = new Argument<string>("LISTEN")
        {
            Description = "Where to listen: 8080, :8080, 127.0.0.1:8080 (port 0 picks a free port), tls://:8443 (terminates TLS), unix:/path/to.sock, unix:@name",
        };
        var target = new Argument<string>("TARGET")
        {
            Description = "Where each client is forwarded: HOST:PORT, tls://HOST:PORT (originates TLS), unix:/path/to.sock, unix:@name",
        };
        var timeout = new Option<string>("--timeout")
        {
            Description = "Connect timeout to the target (and its TLS handshake); a client whose target fails is reset",
            DefaultValueFactory = _ => "10s",
            HelpName = "T",
        };
        var udp = new Option<bool>("--udp", "-u")
        {
            Description = "Relay UDP datagrams between HOST:PORT endpoints: a session (its own socket to TARGET) per client address, "
                + "closed after --idle-timeout with no datagram (default 60s for UDP), at most --max-conns (default 1024)",
        };
        var shared = new StreamOptions();
        var server = new ServerOptions();
        var tls = new TlsOptions();
        var command = new Command(
            "forward",
            "Relay every client of LISTEN to its own connection to TARGET (TCP, TLS or Unix on either side), both ways, with half-close and reset relayed; --hex dumps, --framing SPEC shows each message.")
        {
            listen, target, timeout, udp,
        };
        command.WithExamples(
            "sockit forward :8080 127.0.0.1:80",
            "sockit forward tls://:8443 127.0.0.1:8080 --cert cert.pem --key key.pem",
            "sockit forward :8080 tls://example.com:443",
            "sockit forward :8080 tls://db.internal:5433 --ca ca.pem --target-cert me.pem --target-key me.key",
            "sockit forward unix:/tmp/app.sock 127.0.0.1:7000",
            "sockit forward 127.0.0.1:6380 127.0.0.1:6379 --framing line",
            "sockit forward :9000 127.0.0.1:9001 --framing length --hex -v",
            "sockit forward :8080 127.0.0.1:80 --max-conns 100 --allow 10.0.0.0/8",
            "sockit forward --udp 5353 127.0.0.1:53 --idle-timeout 10s -v");
        // The shared stream options mean the inspector here: say so in the help.
        shared.Framing.Description = "Inspect: print one line per message each way (time, connection, direction, length, preview), cut by: " + FrameSpec.Accepted;
        shared.MaxFrame.Description = "Largest message the inspector decodes, checked on the header (e.g. 64k, 1MiB); a larger one is reported, still relayed";
        shared.OnBadFrame.Description = "Inspector: an oversize message stops decoding that direction (Close) or is skipped (Skip); the traffic is relayed unchanged either way";
        shared.Hex.Description = "Dump every byte relayed each way to stderr: direction, connection id, time, offset, hex and ASCII";
        shared.Verbose.Description = "Narrate each connection on stderr: accepted, connected to the target (from which port), FINs, bytes each way, why it closed";
        server.AddTo(command);
        shared.AddTo(command);
        tls.AddToForward(command);
        command.SetRun(async (result, cancellationToken) =>
        {
            if (result.GetValue(udp))
            {
                // Only these mean something for datagrams; any other option given is refused, not silently ignored.
                Option[] forUdp = [udp, server.Idle, server.MaxConns, shared.Verbose, shared.Hex];
                if (result.CommandResult.Children.OfType<OptionResult>().FirstOrDefault(o => !o.Implicit && !forUdp.Contains(o.Option)) is { } other)
                {
                    throw new UsageException($"{other.Option.Name} does not apply to forward --udp (it takes --idle-timeout, --max-conns, --hex and -v)");
                }

                // UDP's idle default (60 s) is its own: only an --idle-timeout the user gave is passed on.
                return await UdpForward.RunAsync(result.GetValue(listen)!, result.GetValue(target)!,
                    result.GetResult(server.Idle) is { Implicit: false } ? result.GetValue(server.Idle) : null,
                    result.GetValue(server.MaxConns), result.GetValue(shared.Verbose), result.GetValue(shared.Hex), cancellationToken);
            }

            var where = ConnectionEndpoint.Parse(result.GetValue(listen)!);
            var to = ConnectionEndpoint.Parse(result.GetValue(target)!);
            if (!to.IsUnix && (to.Host.IsAnyAddress || to.Host.Port == 0))
            {
                throw new UsageException($"TARGET '{result.GetValue(target)}' is not a server address: give a host and a non-zero port (HOST:PORT)");
            }

            tls.CheckForward(result, where.UseTls, to.UseTls);
            var spec = result.GetValue(shared.Framing) is null ? null : shared.GetSpec(result, FrameSpec.Raw);
            var framing = shared.GetFramingOptions(result);
            var hex = result.GetValue(shared.Hex);
            var connectTimeout = Duration.ParseTimeout(result.GetValue(timeout)!, "--timeout");

            var bindTo = await server.BindAsync(result, where, cancellationToken);
            var options = server.Build(result, bindTo, null, ConnectionOptions.Default);

            // One budget for both sides of every forwarded connection: --max-memory bounds the process, not half of it.
            var connection = ConnectionOptions.Default with { MemoryBudget = new MemoryBudget(options.MaxBufferedBytes) };
            options = options with
            {
                Tls = where.UseTls ? tls.Server(result, ServerOptions.BoundAddresses(bindTo)) : null,
                Connection = connection,
            };
            var forward = new ForwardOptions
            {
                Target = to,
                ConnectTimeout = connectTimeout,
                TargetTls = to.UseTls ? tls.ForwardTarget(result) : null,
                TargetConnection = connection,
                DrainTimeout = options.DrainTimeout,
                Observe = Observer(hex, spec, framing),
            };

            if (!hex && spec is null)
            {
                // Nothing blocks on the console: run the relays inline on a few epoll threads, as listen's echo does.
                SocketEngine.UseInlineCompletions(Math.Max(1, Environment.ProcessorCount / 4));
            }

            var logger = shared.GetLogger(result);
            var handler = new ForwardService(forward, logger);
            await using var forwarder = new SocketServer(options, handler, logger);
            forwarder.Start();
            if (tls.SelfSignedNotice is { } notice)
            {
                Console.Error.WriteLine(notice);
            }

            var transport = (where.IsUnix ? "unix" : "tcp") + (where.UseTls ? " with tls" : "");
            ListeningLine.Write(forwarder.LocalEndPoint, $"{transport}, backlog {options.Backlog}, forwarding to {to}" + (spec is null ? "" : $", inspecting {spec}"));
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C or SIGTERM: stop gracefully below.
            }

            await forwarder.StopAsync();
            ServerOptions.ReportStop(forwarder, detail: handler.TargetFailures > 0 ? $" ({handler.TargetFailures} because the target failed)" : "");
            return ExitCode.Success;
        });
        return command;
    }

    /// <summary>What watches each forwarded connection: the hex dump (stderr), the inspector (stdout), both, or nothing.</summary>
    private static Func<ForwardSession, IRelayObserver?>? Observer(bool hex, FrameSpec? spec, FramingOptions framing) => (hex, spec) switch
    {
        (false, null) => null,
        (true, null) => session => new HexRelayObserver(session.Id),
        (false, { } s) => session => new FrameInspector(session.Id, s, framing, Console.Out.WriteLine),
        (true, { } s) => session => new RelayObserverPair(new HexRelayObserver(session.Id), new FrameInspector(session.Id, s, framing, Console.Out.WriteLine)),
    };
}
