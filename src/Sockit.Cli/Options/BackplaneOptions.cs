using System.CommandLine;
using Microsoft.Extensions.Logging;
using Sockit.Cli.Commands;
using Sockit.Cluster;
using Sockit.Services;

namespace Sockit.Cli.Options;

/// <summary>
/// <c>listen --mode chat|broker --backplane URL [--room NAME] [--presence-expiry T]</c>: one room served by several
/// sockit nodes through Redis pub/sub (see <see cref="RedisBackplane"/> and docs/scaling.md).
/// </summary>
internal sealed class BackplaneOptions
{
    public Option<string?> Backplane { get; } = new("--backplane")
    {
        Description = "Share the chat or broker room with other sockit nodes through Redis pub/sub: redis://HOST:PORT[,OPTIONS] or redis+unix:///PATH[,OPTIONS] (OPTIONS: StackExchange.Redis's, e.g. password=SECRET)",
        HelpName = "URL",
    };

    public Option<string?> Room { get; } = new("--room")
    {
        Description = "The room's name on the backplane; nodes with the same mode and room serve one room (default: the mode's name)",
        HelpName = "NAME",
    };

    public Option<string> PresenceExpiry { get; } = new("--presence-expiry")
    {
        Description = "A node that stops its heartbeat (renewed every third of this) leaves the room's online count after this long",
        DefaultValueFactory = _ => "15s",
        HelpName = "T",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Backplane);
        command.Options.Add(Room);
        command.Options.Add(PresenceExpiry);
    }

    /// <summary>
    /// With <c>--backplane</c>: checks the usage (chat or broker, TCP or Unix, not <c>--exec</c>), connects to Redis and
    /// joins the room with <paramref name="members"/> as this node's members. Null without <c>--backplane</c>.
    /// </summary>
    /// <exception cref="UsageException">A backplane option where it does not apply, or a bad URL or duration.</exception>
    /// <exception cref="IOException">Redis could not be reached.</exception>
    public async Task<RedisBackplane?> ConnectAsync(ParseResult result, ListenMode mode, string? otherwise, ILogger logger)
    {
        var url = result.GetValue(Backplane);
        if (url is null)
        {
            var stray = result.GetResult(Room) is not null ? Room.Name : result.GetResult(PresenceExpiry) is { Implicit: false } ? PresenceExpiry.Name : null;
            return stray is null ? null : throw new UsageException($"{stray}: only with --backplane");
        }

        if (otherwise is not null || mode is not (ListenMode.Chat or ListenMode.Broker))
        {
            throw new UsageException($"--backplane: only --mode chat or broker spans nodes, not {otherwise ?? "--mode " + mode.ToString().ToLowerInvariant()}");
        }

        var expiry = Duration.Parse(result.GetValue(PresenceExpiry)!, PresenceExpiry.Name);
        if (expiry < TimeSpan.FromMilliseconds(300))
        {
            throw new UsageException($"{PresenceExpiry.Name}: '{result.GetValue(PresenceExpiry)}' is too short (300ms at least)");
        }

        return await RedisBackplane.ConnectAsync(new RedisBackplaneOptions { Redis = RedisAddress.Parse(url), PresenceExpiry = expiry }, logger);
    }

    /// <summary>Joins the room (named by <c>--room</c>, or the mode) on <paramref name="backplane"/>: chat and broker rooms never mix.</summary>
    public async Task<IFanoutRoom> OpenRoomAsync(ParseResult result, RedisBackplane backplane, ListenMode mode, Fanout members, CancellationToken cancellationToken)
    {
        var kind = mode.ToString().ToLowerInvariant();
        return await backplane.OpenRoomAsync($"{kind}:{result.GetValue(Room) ?? kind}", members, cancellationToken);
    }
}
