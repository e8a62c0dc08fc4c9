using System.Net;
using Sockit.Cli.Options;
using Sockit.Cli.Output;
using Sockit.Connections;
using Sockit.Udp;

namespace Sockit.Cli.Commands.Udp;

/// <summary>
/// <c>sockit forward --udp LISTEN TARGET</c>: parses the endpoints and limits, binds the listening socket and runs
/// the library's <see cref="UdpForwarder"/> until Ctrl-C. The <c>forward</c> command calls <see cref="RunAsync"/>
/// when <c>--udp</c> is given.
/// </summary>
internal static class UdpForward
{
    /// <summary>Runs the relay.</summary>
    /// <param name="listen">Where clients send: <c>PORT</c> (every interface, dual-stack), <c>HOST:PORT</c>, <c>[v6]:PORT</c>.</param>
    /// <param name="target">Where their datagrams go: <c>HOST:PORT</c>, resolved once (the first address).</param>
    /// <param name="idleTimeoutText"><c>--idle-timeout</c>: a session quiet this long is closed; null for the default, 60 s; 0 for never.</param>
    /// <param name="maxSessions"><c>--max-conns</c>: sessions open at most; null for <see cref="UdpForwarderOptions.DefaultMaxSessions"/>.</param>
    /// <param name="verbose"><c>-v</c>: a line per session opened and expired.</param>
    /// <param name="hex"><c>--hex</c>: every datagram relayed, each way, dumped to stderr.</param>
    /// <param name="cancellationToken">Ctrl-C: stops, exit 0.</param>
    /// <exception cref="UsageException">A Unix or TLS endpoint, a target without a port, a bad duration or count.</exception>
    public static async Task<ExitCode> RunAsync(string listen, string target, string? idleTimeoutText, int? maxSessions, bool verbose, bool hex,
        CancellationToken cancellationToken)
    {
        var local = ConnectionEndpoint.Parse(listen);
        var remote = ConnectionEndpoint.Parse(target);
        if (local.IsUnix || local.UseTls || remote.IsUnix || remote.UseTls)
        {
            throw new UsageException($"--udp forwards between HOST:PORT endpoints; '{(local.IsUnix || local.UseTls ? local : remote)}' is a stream endpoint (unix: or TLS)");
        }

        if (remote.Host.IsAnyAddress || remote.Host.Port == 0)
        {
            throw new UsageException($"'{target}' is not a target: give a host and a non-zero port (HOST:PORT)");
        }

        var idle = idleTimeoutText is null ? UdpForwarderOptions.DefaultIdleTimeout : Duration.Parse(idleTimeoutText, "--idle-timeout");
        var limit = maxSessions ?? UdpForwarderOptions.DefaultMaxSessions;
        if (limit < 1)
        {
            throw new UsageException($"--max-conns: '{limit}' must be at least 1");
        }

        var options = new UdpForwarderOptions
        {
            Target = new IPEndPoint((await remote.Host.ResolveAsync(cancellationToken))[0], remote.Host.Port),
            IdleTimeout = idle == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : idle,
            MaxSessions = limit,
        };
        var bindTo = new IPEndPoint(local.Host.IsAnyAddress ? IPAddress.IPv6Any : (await local.Host.ResolveAsync(cancellationToken))[0], local.Host.Port);
        using var listener = UdpEndpoint.Bind(new UdpEndpointOptions
        {
            LocalEndPoint = bindTo,
            SocketReceiveBufferSize = UdpMessageSettings.SocketReceiveBufferSize,
        });
        using var forwarder = new UdpForwarder(listener, options, new UdpForwardNotes(verbose, hex, limit));
        var expiry = options.IdleTimeout == Timeout.InfiniteTimeSpan ? "never" : $"{options.IdleTimeout.TotalSeconds:0.###} s";
        ListeningLine.Write(listener.LocalEndPoint, $"udp forward to {options.Target}, a session per client, idle timeout {expiry}, at most {limit} sessions");
        await forwarder.RunAsync(cancellationToken);
        return ExitCode.Success;
    }
}
