using Sockit.Cli.Tests.Infrastructure;
using Sockit.Testing;

namespace Sockit.Cli.Tests.Tcp;

/// <summary><c>sockit listen --mode chat|broker --backplane …</c>: several sockit processes serving one room through a real redis-server.</summary>
public sealed class BackplaneCliTests
{
    [Fact]
    public async Task ThreeChatProcessesMakeOneRoomWhereEveryLineReachesEveryoneOnceInOrder()
    {
        const int Lines = 30;
        using var redis = RedisServer.Start();
        var nodes = new List<SockitProcess>();
        var clients = new List<LineClient>();
        try
        {
            for (var n = 0; n < 3; n++)
            {
                nodes.Add(await TcpCli.ListenAsync("--mode", "chat", "--backplane", redis.Url, "--room", "lobby", "-v"));
                clients.Add(await LineClient.ConnectAsync(nodes[n].Port));
                Assert.StartsWith("* welcome ", await clients[n].ReadLineAsync(), StringComparison.Ordinal);
            }

            Assert.Contains($"backplane: connected to redis at unix:{redis.SocketPath} as node ", nodes[0].Stderr, StringComparison.Ordinal);
            Assert.Contains($"room chat:lobby via redis at unix:{redis.SocketPath}", nodes[0].Stderr, StringComparison.Ordinal);
            await LineClient.AssertEveryLineReachesEveryOtherMemberOnceInOrderAsync(clients, Lines);
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
    public async Task AKilledNodesMembersLeaveTheOnlineCountWithinThePresenceExpiry()
    {
        using var redis = RedisServer.Start();
        await using var a = await TcpCli.ListenAsync("--mode", "chat", "--backplane", redis.Url, "--presence-expiry", "1s");
        await using var b = await TcpCli.ListenAsync("--mode", "chat", "--backplane", redis.Url, "--presence-expiry", "1s");
        using var alice = await LineClient.ConnectAsync(a.Port);
        await alice.ReadLineAsync();
        using var bob = await LineClient.ConnectAsync(b.Port);
        await bob.ReadLineAsync();

        // A newcomer on a counts itself, alice and bob once b's presence has reached a.
        await WelcomeSaysAsync(a.Port, "(3 online)");

        b.Signal("KILL");
        await b.WaitForExitAsync();
        var killed = DateTime.UtcNow;
        await WelcomeSaysAsync(a.Port, "(2 online)");
        var seconds = (DateTime.UtcNow - killed).TotalSeconds;
        Assert.True(seconds < 20, $"b's member left a's count only after {seconds:0.0} s"); // expiry 1 s; a loose bound for a loaded machine
    }

    [Fact]
    public async Task BrokerFramesCrossProcessesByteExact()
    {
        using var redis = RedisServer.Start();
        await using var a = await TcpCli.ListenAsync("--mode", "broker", "--framing", "length", "--backplane", redis.Url);
        await using var b = await TcpCli.ListenAsync("--mode", "broker", "--framing", "length", "--backplane", redis.Url);
        var stdout = await TcpCli.PythonClientAsync(a.Port, $$"""
            import os
            sender = connect()
            other = socket.create_connection(('127.0.0.1', {{b.Port}}), timeout=20)
            sync(sender, other)
            frames = [b'', b'\n', bytes(range(256)) * 40, os.urandom(100000)]
            for f in frames:
                sender.sendall(frame(f))
            got = []
            while len(got) < len(frames):
                f = recv_frame(other)
                if f != b'sync' or got:  # sync may have sent a few more before the first came back
                    got.append(f)
            print('exact' if got == frames else 'different')
            """);
        Assert.Equal("exact\n", stdout);
    }

    [Theory]
    [InlineData("http://127.0.0.1:6379", "--mode", "chat")]
    [InlineData("redis://", "--mode", "chat")]
    [InlineData("redis://127.0.0.1:6379,nosuchoption=1", "--mode", "broker")]
    [InlineData("redis+unix://relative/path", "--mode", "chat")]
    public async Task ABadBackplaneAddressIsOneLineAndExit2(string url, params string[] mode)
    {
        var run = await SockitProcess.RunAsync(null, ["listen", "127.0.0.1:0", .. mode, "--backplane", url]);
        TcpCli.AssertOneLineFailure(run, 2, "--backplane", url);
    }

    [Theory]
    [InlineData("--backplane", "redis://127.0.0.1:6379", "--mode", "echo")]
    [InlineData("--backplane", "redis://127.0.0.1:6379", "--mode", "stdio")]
    [InlineData("--backplane", "redis://127.0.0.1:6379", "--exec", "cat")]
    [InlineData("--room", "lobby", "--mode", "chat")]
    [InlineData("--presence-expiry", "1s", "--mode", "broker")]
    public async Task BackplaneOptionsOutsideChatAndBrokerWithABackplaneAreUsageErrors(params string[] args)
    {
        var run = await SockitProcess.RunAsync(null, ["listen", "127.0.0.1:0", .. args]);
        TcpCli.AssertOneLineFailure(run, 2, args[0]);
    }

    [Fact]
    public async Task AnUnreachableRedisAtStartIsOneLineAndExit1()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-redis-{Guid.NewGuid():N}.sock");
        var run = await SockitProcess.RunAsync(null, ["listen", "127.0.0.1:0", "--mode", "chat", "--backplane", "redis+unix://" + path]);
        TcpCli.AssertOneLineFailure(run, 1, "cannot reach redis", path);
    }

    /// <summary>Connects newcomers to <paramref name="port"/> (paced, bounded) until one's welcome line contains <paramref name="count"/>.</summary>
    private static async Task WelcomeSaysAsync(int port, string count)
    {
        var seen = "";
        for (var attempt = 0; attempt < 200; attempt++)
        {
            using var probe = await LineClient.ConnectAsync(port);
            seen = await probe.ReadLineAsync();
            if (seen.EndsWith(count, StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"no welcome said {count}; the last said: {seen}");
    }
}
