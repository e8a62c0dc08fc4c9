using System.CommandLine;
using System.Net;
using Sockit.Addressing;
using Sockit.Connections;

namespace Sockit.Cli.Options;

/// <summary>
/// The operating options every stream server takes (<c>listen</c>, <c>forward</c>, <c>receive</c>): <c>--max-conns</c>,
/// <c>--max-conns-per-ip</c>, <c>--allow</c>, <c>--deny</c>, <c>--idle-timeout</c>, <c>--frame-timeout</c>,
/// <c>--drain-timeout</c>, <c>--max-memory</c>; and where to bind.
/// </summary>
internal sealed class ServerOptions
{
    public Option<int?> MaxConns { get; } = new("--max-conns")
    {
        Description = "Open connections at most; a client over the limit is reset at once (default: 10000, or what ulimit -n allows)",
        HelpName = "N",
    };

    public Option<int?> MaxPerIp { get; } = new("--max-conns-per-ip")
    {
        Description = "Open connections at most from one IP address; more are reset at once (default: no limit)",
        HelpName = "N",
    };

    public Option<string[]> Allow { get; } = new("--allow")
    {
        Description = "Serve only clients in this subnet (CIDR, repeatable: --allow 127.0.0.0/8 --allow ::1/128); others are reset",
        HelpName = "CIDR",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string[]> Deny { get; } = new("--deny")
    {
        Description = "Reset clients in this subnet at accept (CIDR, repeatable); wins over --allow",
        HelpName = "CIDR",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string> Idle { get; } = new("--idle-timeout")
    {
        Description = "Close a connection silent for this long (e.g. 30s, 5m; 0 = never)",
        DefaultValueFactory = _ => "5m",
        HelpName = "T",
    };

    public Option<string> FrameTimeout { get; } = new("--frame-timeout")
    {
        Description = "A frame that has started must finish within this long, or the client is reset (slowloris; 0 = never)",
        DefaultValueFactory = _ => "60s",
        HelpName = "T",
    };

    public Option<string> DrainTimeout { get; } = new("--drain-timeout")
    {
        Description = "On Ctrl-C, how long to wait for queued data to be sent before resetting what is left",
        DefaultValueFactory = _ => "5s",
        HelpName = "T",
    };

    public Option<string?> MaxMemory { get; } = new("--max-memory")
    {
        Description = "All connections' buffers together at most (e.g. 256MiB); past it reading pauses and clients that stopped reading are reset, largest first (default: 1/8 of memory, 64 MiB to 2 GiB)",
        HelpName = "SIZE",
    };

    /// <summary>Adds the options; <paramref name="between"/> go after <c>--drain-timeout</c>, as <c>listen</c> lists them.</summary>
    public void AddTo(Command command, params Option[] between)
    {
        foreach (var option in new Option[] { MaxConns, MaxPerIp, Allow, Deny, Idle, FrameTimeout, DrainTimeout }.Concat(between).Append(MaxMemory))
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The idle timeout as given (zero meaning never).</summary>
    public TimeSpan IdleTimeout(ParseResult result) => Duration.Parse(result.GetValue(Idle)!, "--idle-timeout");

    /// <summary>
    /// Where to bind <paramref name="where"/>: a Unix endpoint, or the host's first address (the wildcard for a bare port,
    /// dual-stack). The address rules are refused on a Unix endpoint.
    /// </summary>
    /// <exception cref="UsageException">An address rule on a Unix endpoint.</exception>
    public async Task<EndPoint> BindAsync(ParseResult result, ConnectionEndpoint where, CancellationToken cancellationToken)
    {
        if (where.IsUnix)
        {
            // The address rules judge IP addresses; a Unix socket's clients are judged by the file's permissions.
            if (new Option[] { Allow, Deny, MaxPerIp }.FirstOrDefault(o => result.GetResult(o) is { Implicit: false }) is { } rule)
            {
                throw new UsageException($"{rule.Name} judges IP addresses; a unix: listener's clients are limited by the socket file's permissions");
            }

            return where.ToUnixEndPoint();
        }

        return new IPEndPoint(where.Host.IsAnyAddress ? IPAddress.IPv6Any : (await where.Host.ResolveAsync(cancellationToken))[0], where.Host.Port);
    }

    /// <summary>The connection limit given, checked (null: the default).</summary>
    /// <exception cref="UsageException">A limit below 1.</exception>
    public int? Limit(ParseResult result)
    {
        var limit = result.GetValue(MaxConns);
        return limit < 1 ? throw new UsageException($"--max-conns: '{limit}' must be at least 1") : limit;
    }

    /// <summary>The server's options from the command line; every value checked.</summary>
    /// <exception cref="UsageException">A value out of range or not understood: the message names it.</exception>
    public SocketServerOptions Build(ParseResult result, EndPoint bindTo, TlsServerOptions? tls, ConnectionOptions connection, int? maxConnections = null)
    {
        var limit = Limit(result);
        var perIp = result.GetValue(MaxPerIp) ?? int.MaxValue;
        if (perIp < 1)
        {
            throw new UsageException($"--max-conns-per-ip: '{perIp}' must be at least 1");
        }

        return new SocketServerOptions
        {
            EndPoint = bindTo,
            Tls = tls,
            MaxConnections = maxConnections ?? limit,
            MaxConnectionsPerAddress = perIp,
            Allow = ParseSubnets(result.GetValue(Allow), "--allow"),
            Deny = ParseSubnets(result.GetValue(Deny), "--deny"),
            IdleTimeout = OffWhenZero(IdleTimeout(result)),
            FrameTimeout = OffWhenZero(Duration.Parse(result.GetValue(FrameTimeout)!, "--frame-timeout")),
            DrainTimeout = Duration.Parse(result.GetValue(DrainTimeout)!, "--drain-timeout"),
            MaxBufferedBytes = ParseMaxMemory(result.GetValue(MaxMemory)),
            Connection = connection,
        };
    }

    /// <summary>The addresses a self-signed certificate names: the bound one, or every interface's for a wildcard.</summary>
    public static IEnumerable<IPAddress> BoundAddresses(EndPoint bound) => bound switch
    {
        IPEndPoint ip when ip.Address.Equals(IPAddress.IPv6Any) || ip.Address.Equals(IPAddress.Any) =>
            System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(u => u.Address).Where(a => a.ScopeId == 0),
        IPEndPoint ip => [ip.Address],
        _ => [],
    };

    /// <summary>Zero means "never": <see cref="Timeout.InfiniteTimeSpan"/>.</summary>
    public static TimeSpan OffWhenZero(TimeSpan value) => value == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : value;

    /// <summary>
    /// The one line a stopped server prints even without <c>-v</c> when something was lost: clients reset with data
    /// unsent or unread (and <paramref name="detail"/>), queued bytes never delivered, failed TLS handshakes.
    /// </summary>
    public static void ReportStop(SocketServer server, long moreDropped = 0, string detail = "", bool quiet = false)
    {
        var dropped = server.BytesDropped + moreDropped;
        if ((server.ResetCount > 0 || dropped > 0) && !quiet)
        {
            CommandRunner.Error($"stopped: {server.ResetCount} connection(s) reset by this server with data unsent or unread{detail}, {dropped} queued byte(s) never delivered");
        }

        if (server.HandshakeFailures > 0)
        {
            CommandRunner.Error($"{server.HandshakeFailures} client(s) closed because their TLS handshake failed or did not finish within the handshake timeout (-v names each)");
        }
    }

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
}
