using Microsoft.Extensions.Logging;
using Sockit.Cluster;
using Sockit.Connections;
using Sockit.Framing;
using Sockit.Services;
using Sockit.Testing;
using Sockit.Tests.Connections;

namespace Sockit.Tests.Cluster;

/// <summary>One sockit node in a test: a loopback server on port 0 whose chat or broker room spans nodes through <see cref="RedisServer"/>.</summary>
internal sealed class ClusterNode : IAsyncDisposable
{
    private ClusterNode(RedisBackplane backplane, RedisRoom room, SocketServer server)
    {
        Backplane = backplane;
        Room = room;
        Server = server;
    }

    public RedisBackplane Backplane { get; }

    public RedisRoom Room { get; }

    public SocketServer Server { get; }

    public static Task<ClusterNode> StartChatAsync(RedisServer redis, string room = "chat", ILogger? logger = null) =>
        StartAsync(redis, room, FrameSpec.Line, logger, r => new ChatService(r));

    public static Task<ClusterNode> StartBrokerAsync(RedisServer redis, FrameSpec spec, string room = "broker") =>
        StartAsync(redis, room, spec, null, r => new BrokerService(spec, r));

    private static async Task<ClusterNode> StartAsync(RedisServer redis, string room, FrameSpec spec, ILogger? logger, Func<IFanoutRoom, IConnectionHandler> service)
    {
        var backplane = await RedisBackplane.ConnectAsync(
            new RedisBackplaneOptions { Redis = RedisAddress.Parse(redis.Url), PresenceExpiry = TimeSpan.FromSeconds(3) },
            logger);
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        var shared = await backplane.OpenRoomAsync(room, new Fanout(spec), cts.Token);
        return new ClusterNode(backplane, shared, Loopback.StartServer(service(shared)));
    }

    public async Task<LineClient> ConnectAsync() => new(await Loopback.ConnectAsync(Server));

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Backplane.DisposeAsync();
    }
}
