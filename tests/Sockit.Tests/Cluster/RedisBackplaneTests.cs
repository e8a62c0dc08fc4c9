using System.Globalization;
using Sockit.Framing;
using Sockit.Testing;
using Sockit.Tests.Connections;

namespace Sockit.Tests.Cluster;

/// <summary>Chat and broker rooms spanning two and three in-process nodes through a real redis-server.</summary>
public sealed class RedisBackplaneTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task EveryLineReachesEveryMemberOnEveryNodeExactlyOnceAndInEachSendersOrder(int nodeCount)
    {
        const int MembersPerNode = 2, Lines = 40;
        using var redis = RedisServer.Start();
        var nodes = new List<ClusterNode>();
        var clients = new List<LineClient>();
        try
        {
            for (var n = 0; n < nodeCount; n++)
            {
                nodes.Add(await ClusterNode.StartChatAsync(redis));
                for (var m = 0; m < MembersPerNode; m++)
                {
                    clients.Add(await nodes[n].ConnectAsync());
                    Assert.StartsWith("* welcome ", await clients[^1].ReadLineAsync(), StringComparison.Ordinal);
                }
            }

            // Every node counts every member, its own and the others' (join notices and heartbeats carry the counts).
            await LimitsTests.WaitUntilAsync(() => nodes.All(node => node.Room.Count == clients.Count));

            await LineClient.AssertEveryLineReachesEveryOtherMemberOnceInOrderAsync(clients, Lines);
            Assert.All(nodes, node => Assert.Equal(0, node.Room.MessagesNotSent));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task JoinAndLeaveNoticesAndTheOnlineCountSpanNodes()
    {
        using var redis = RedisServer.Start();
        await using var a = await ClusterNode.StartChatAsync(redis);
        await using var b = await ClusterNode.StartChatAsync(redis);
        using var alice = await a.ConnectAsync();
        Assert.StartsWith($"* welcome {alice.Name} (1 online)", await alice.ReadLineAsync(), StringComparison.Ordinal);
        await LimitsTests.WaitUntilAsync(() => b.Room.Count == 1);

        var bob = await b.ConnectAsync();
        Assert.StartsWith($"* welcome {bob.Name} (2 online)", await bob.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Equal($"* {bob.Name} joined (2 online)", await alice.ReadLineAsync());

        await bob.SendAsync("hello across nodes\n");
        Assert.Equal($"[{bob.Name}] hello across nodes", await alice.ReadLineAsync());

        var bobName = bob.Name;
        bob.Dispose();
        Assert.Equal($"* {bobName} left (1 online)", await alice.ReadLineAsync());
        await LimitsTests.WaitUntilAsync(() => a.Room.Count == 1 && b.Room.Count == 1);
    }

    [Fact]
    public async Task RoomsWithOtherNamesOnTheSameRedisNeverSeeEachOthersLines()
    {
        using var redis = RedisServer.Start();
        await using var lobbyA = await ClusterNode.StartChatAsync(redis, "lobby");
        await using var lobbyB = await ClusterNode.StartChatAsync(redis, "lobby");
        await using var otherA = await ClusterNode.StartChatAsync(redis, "other");
        await using var otherB = await ClusterNode.StartChatAsync(redis, "other");
        using var inLobbyA = await lobbyA.ConnectAsync();
        using var inLobbyB = await lobbyB.ConnectAsync();
        using var inOtherA = await otherA.ConnectAsync();
        using var inOtherB = await otherB.ConnectAsync();
        foreach (var member in new[] { inLobbyA, inLobbyB, inOtherA, inOtherB })
        {
            Assert.StartsWith("* welcome ", await member.ReadLineAsync(), StringComparison.Ordinal); // it has joined
        }

        await inLobbyA.SendAsync("for the lobby\n");
        Assert.Equal($"[{inLobbyA.Name}] for the lobby", await inLobbyB.ReadMessageAsync());

        // Published after the lobby's line, on the same Redis: the next line in the other room is this one.
        await inOtherA.SendAsync("for the other room\n");
        Assert.Equal($"[{inOtherA.Name}] for the other room", await inOtherB.ReadMessageAsync());
        Assert.Equal(1, lobbyB.Room.Count - lobbyB.Room.Members.Count);
        Assert.Equal(1, otherB.Room.Count - otherB.Room.Members.Count);
    }

    [Fact]
    public async Task RedisKilledAndRestartedMidConversationLosesNoLocalLineAndCrossNodeDeliveryResumesInOrder()
    {
        using var redis = RedisServer.Start();
        var logA = new RecordingLogger();
        var logB = new RecordingLogger();
        await using var a = await ClusterNode.StartChatAsync(redis, logger: logA);
        await using var b = await ClusterNode.StartChatAsync(redis, logger: logB);
        using var alice = await a.ConnectAsync();
        using var carol = await a.ConnectAsync(); // alice's neighbour on node a
        using var bob = await b.ConnectAsync();   // across Redis
        foreach (var member in new[] { alice, carol, bob })
        {
            Assert.StartsWith("* welcome ", await member.ReadLineAsync(), StringComparison.Ordinal); // it has joined
        }

        await alice.SendAsync("0 before\n");
        Assert.Equal($"[{alice.Name}] 0 before", await bob.ReadMessageAsync());
        Assert.Equal($"[{alice.Name}] 0 before", await carol.ReadMessageAsync());

        redis.Kill();
        await LimitsTests.WaitUntilAsync(() => !a.Backplane.IsConnected);
        for (var i = 1; i <= 20; i++)
        {
            await alice.SendAsync($"{i} while redis is down\n");
        }

        for (var i = 1; i <= 20; i++)
        {
            Assert.Equal($"[{alice.Name}] {i} while redis is down", await carol.ReadMessageAsync()); // local: never lost
        }

        redis.Restart();

        // Alice keeps talking (paced, bounded) until a line reaches bob: the nodes reconnect and resubscribe by themselves.
        using var stop = new CancellationTokenSource();
        var sent = 20;
        var talking = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && sent < 20 + 600)
            {
                await alice.SendAsync($"{++sent} after\n");
                await Task.Delay(50);
            }
        });

        string first;
        try
        {
            first = await bob.ReadMessageAsync();
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"a connected {a.Backplane.IsConnected} notsent {a.Room.MessagesNotSent}; b connected {b.Backplane.IsConnected} received {b.Room.MessagesReceived}\nA: {string.Join("\n", logA.Warnings)}\nB: {string.Join("\n", logB.Warnings)}");
            throw;
        }

        await stop.CancelAsync();
        await talking.WaitAsync(Loopback.Timeout);
        Assert.EndsWith(" after", first, StringComparison.Ordinal);
        var last = Number(first);
        while (last < sent)
        {
            var next = Number(await bob.ReadMessageAsync());
            Assert.Equal(last + 1, next); // once resumed, in order, nothing twice
            last = next;
        }

        for (var i = 21; i <= sent; i++)
        {
            Assert.Equal($"[{alice.Name}] {i} after", await carol.ReadMessageAsync());
        }

        Assert.True(a.Room.MessagesNotSent >= 20, $"{a.Room.MessagesNotSent} not sent");

        static int Number(string line) => int.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task BrokerFramesAreByteExactAcrossNodes()
    {
        using var redis = RedisServer.Start();
        await using var a = await ClusterNode.StartBrokerAsync(redis, FrameSpec.Length);
        await using var b = await ClusterNode.StartBrokerAsync(redis, FrameSpec.Length);
        using var sender = await Loopback.ConnectAsync(a.Server);
        using var neighbour = await Loopback.ConnectAsync(a.Server);
        using var remote = await Loopback.ConnectAsync(b.Server);
        await LimitsTests.WaitUntilAsync(() => a.Room.Members.Count == 2 && b.Room.Members.Count == 1);

        var random = new Random(13);
        var frames = new[] { 0, 1, 3, 1000, 65_536, 200_000 }.Select(size =>
        {
            var payload = new byte[size];
            random.NextBytes(payload);
            return payload;
        }).Append([(byte)'\n', 0, (byte)'\r', 0xFF]).ToArray();
        var wire = frames.SelectMany(f => new[] { (byte)(f.Length >> 24), (byte)(f.Length >> 16), (byte)(f.Length >> 8), (byte)f.Length }.Concat(f)).ToArray();
        await sender.SendAsync(wire);

        Assert.Equal(wire, await remote.ReceiveExactlyAsync(wire.Length));
        Assert.Equal(wire, await neighbour.ReceiveExactlyAsync(wire.Length));
    }
}
