using System.CommandLine;
using Sockit.Cli.Commands.Udp;

namespace Sockit.Cli.Commands;

/// <summary>
/// <c>sockit forward LISTEN TARGET --udp</c>: a UDP relay, a session per client address (<see cref="UdpForward"/>).
/// </summary>
/// <remarks>
/// MERGE NOTE: a minimal registration of <c>forward</c> for its <c>--udp</c> part only, written beside the stream
/// forwarder (branch <c>forward</c>), which owns this file. When merging keep that command, and add the <c>--udp</c>
/// option with this one line at the top of its action:
/// <c>if (result.GetValue(udp)) return await UdpForward.RunAsync(listen, target, idleText, maxConns, verbose, cancellationToken);</c>
/// where <c>idleText</c> is <c>--idle-timeout</c> as given (null when absent: UDP's default is 60 s, not the stream default).
/// </remarks>
internal static class ForwardCommand
{
    public static Command Create()
    {
        var listen = new Argument<string>("LISTEN") { Description = "Where clients send: PORT (every interface), HOST:PORT, [v6]:PORT (port 0 picks a free port)" };
        var target = new Argument<string>("TARGET") { Description = "Where their datagrams go: HOST:PORT, [v6]:PORT" };
        var udp = new Option<bool>("--udp", "-u") { Description = "Relay UDP datagrams: a session (its own socket to TARGET) per client address" };
        var idle = new Option<string?>("--idle-timeout")
        {
            Description = "UDP: close a session with no datagram either way for this long (default 60s; 0 = never)",
            HelpName = "T",
        };
        var maxConns = new Option<int?>("--max-conns")
        {
            Description = "UDP: sessions open at most (default 1024); a new client's datagrams beyond it are dropped and counted",
            HelpName = "N",
        };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Narrate each session: opened (from which local port), expired" };
        var command = new Command("forward", "Relay between two endpoints (with --udp: UDP, a session per client address).")
        {
            listen, target, udp, idle, maxConns, verbose,
        };
        command.WithExamples(
            "sockit forward --udp 5353 127.0.0.1:53",
            "sockit forward --udp 127.0.0.1:9000 [::1]:9001 --idle-timeout 10s --max-conns 100 -v");
        command.SetRun(async (result, cancellationToken) => result.GetValue(udp)
            ? await UdpForward.RunAsync(result.GetValue(listen)!, result.GetValue(target)!, result.GetValue(idle), result.GetValue(maxConns), result.GetValue(verbose), cancellationToken)
            : throw new UsageException("forward without --udp (TCP, TLS, Unix) is not in this build yet: add --udp to relay UDP"));
        return command;
    }
}
