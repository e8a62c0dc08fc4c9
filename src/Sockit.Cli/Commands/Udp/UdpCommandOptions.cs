using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Sockit.Addressing;
using Sockit.Cli.Options;
using Sockit.Connections;
using Sockit.Framing;

namespace Sockit.Cli.Commands.Udp;

/// <summary>
/// The UDP side of <c>listen</c> and <c>connect</c>: <c>--udp</c> and the options only UDP has, and the hand-over
/// from the parsed TCP-shaped options to <see cref="UdpListen"/> and <see cref="UdpConnect"/>.
/// </summary>
internal sealed class UdpCommandOptions
{
    public Option<bool> Udp { get; } = new("--udp", "-u")
    {
        Description = "UDP instead of TCP: datagrams from and to any peer on one socket; no connection, no handshake, no FIN",
    };

    public Option<bool> ToAll { get; } = new("--to-all")
    {
        Description = "UDP stdio: send each stdin line to every peer heard from, not only the last",
    };

    public Option<bool> Broadcast { get; } = new("--broadcast")
    {
        Description = "UDP: allow sending to a broadcast address (SO_BROADCAST), e.g. 127.255.255.255 or 192.168.1.255",
    };

    public Option<string> Group { get; } = new("--group")
    {
        Description = "UDP: join this multicast group (on %INTERFACE if given, e.g. 239.1.2.3%lo), bind its port and print what arrives",
        HelpName = "GROUP[%IF]",
    };

    public void AddToListen(Command command)
    {
        command.Options.Add(Udp);
        command.Options.Add(ToAll);
    }

    public void AddToConnect(Command command)
    {
        command.Options.Add(Udp);
        command.Options.Add(Broadcast);
        command.Options.Add(Group);
    }

    /// <summary>Whether <c>--udp</c> was given; a UDP-only option without it is bad usage.</summary>
    public bool IsUdp(ParseResult result)
    {
        if (result.GetValue(Udp))
        {
            return true;
        }

        foreach (var option in new Option[] { ToAll, Broadcast, Group })
        {
            if (result.GetResult(option) is { Implicit: false })
            {
                throw new UsageException($"{option.Name} is a UDP option: add --udp");
            }
        }

        return false;
    }

    private static ListenMode ToUdpMode(ListenMode mode) => mode is ListenMode.Stdio or ListenMode.Echo or ListenMode.Sink
        ? mode
        : throw new UsageException($"--mode {mode.ToString().ToLowerInvariant()} is TCP only: UDP listens in stdio, echo or sink mode");

    /// <summary>Runs <c>listen --udp</c> on <paramref name="local"/> with the options <c>listen</c> already parsed.</summary>
    public async Task<ExitCode> ListenAsync(ParseResult result, IPEndPoint local, ListenMode mode, FrameSpec spec, FramingOptions framing,
        TimeSpan idleTimeout, int maxPeers, StreamOptions shared, CancellationToken cancellationToken)
    {
        var udpMode = ToUdpMode(mode);
        return await UdpListen.RunAsync(new UdpListenSettings
        {
            Local = local,
            Messages = Messages(result, spec, framing, shared),
            Mode = udpMode,
            ToAll = result.GetValue(ToAll),

            // A sink reports every peer at the end, so it forgets none for being quiet.
            IdleTimeout = idleTimeout == TimeSpan.Zero || udpMode == ListenMode.Sink ? Timeout.InfiniteTimeSpan : idleTimeout,
            MaxPeers = maxPeers,
        }, cancellationToken);
    }

    /// <summary>
    /// Runs <c>connect --udp</c> to <paramref name="target"/>, resolved here (an unknown host is a network failure),
    /// from <paramref name="connect"/>'s source address and of its address family (<c>-4/-6/--source</c>).
    /// </summary>
    public async Task<ExitCode> ConnectAsync(ParseResult result, HostEndpoint target, SocketConnectOptions connect, StreamOptions shared, string? waitText,
        CancellationToken cancellationToken)
    {
        var family = connect.RequiredFamily();
        if (connect.LocalEndPoint is not null && result.GetResult(Group) is { Implicit: false })
        {
            throw new UsageException("--source: a multicast member (--group) binds the group's port; it takes no source address");
        }

        // One stdin line is one datagram unless --framing says otherwise.
        var messages = Messages(result, shared.GetSpec(result, FrameSpec.Line), shared.GetFramingOptions(result), shared);
        var group = result.GetValue(Group) is { } groupText ? MulticastGroupText.Parse(groupText) : default;
        var wait = waitText is null ? TimeSpan.FromSeconds(1) : Duration.Parse(waitText, "--wait");
        var addresses = (await target.ResolveAsync(cancellationToken)).Where(a => family == AddressFamily.Unspecified || a.AddressFamily == family).ToArray();
        if (addresses.Length == 0)
        {
            var problem = $"'{target.Host}' has no {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address";
            throw IPAddress.TryParse(target.Host, out _) ? new UsageException(problem) : new AddressResolutionException(target.Host, problem, SocketError.NoData);
        }

        var remote = new IPEndPoint(addresses[0], target.Port);
        if (group.Group is { } g && g.AddressFamily != remote.AddressFamily)
        {
            throw new UsageException($"--group: '{g}' and the target {target} are not of one IP version");
        }

        return await UdpConnect.RunAsync(new UdpConnectSettings
        {
            Remote = remote,
            Local = connect.LocalEndPoint,
            Messages = messages,
            Wait = wait,
            Broadcast = result.GetValue(Broadcast),
            Group = group.Group,
            GroupInterfaceIndex = group.InterfaceIndex,
        }, cancellationToken);
    }

    private static UdpMessageSettings Messages(ParseResult result, FrameSpec spec, FramingOptions framing, StreamOptions shared) =>
        new(spec, framing, result.GetValue(shared.Hex), result.GetValue(shared.Verbose));
}
