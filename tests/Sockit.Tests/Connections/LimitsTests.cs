using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Sockit.Framing;
using Sockit.Services;
using Sockit.Connections;

namespace Sockit.Tests.Connections;

public sealed class LimitsTests
{
    [Fact]
    public async Task ClientOverTheConnectionLimitIsResetAtOnceAndCounted()
    {
        await using var server = Loopback.StartServer(new EchoService(FrameSpec.Line), new SocketServerOptions { MaxConnections = 2 });
        using var first = await Loopback.ConnectAsync(server);
        using var second = await Loopback.ConnectAsync(server);
        await first.SendAsync("1\n"u8.ToArray());
        await first.ReceiveExactlyAsync(2);
        await second.SendAsync("2\n"u8.ToArray());
        await second.ReceiveExactlyAsync(2);

        Assert.True(await Loopback.IsResetAtOnceAsync(server));
        Assert.Equal(1, server.RejectedCount);

        // The two inside are untouched, and a place frees up when one leaves.
        await first.SendAsync("still\n"u8.ToArray());
        Assert.Equal("still\n"u8.ToArray(), await first.ReceiveExactlyAsync(6));
        second.Shutdown(SocketShutdown.Send);
        await second.ReceiveToEndAsync();
        await WaitUntilAsync(() => server.ConnectionCount == 1);
        using var fourth = await Loopback.ConnectAsync(server);
        await fourth.SendAsync("in\n"u8.ToArray());
        Assert.Equal("in\n"u8.ToArray(), await fourth.ReceiveExactlyAsync(3));
    }

    [Fact]
    public async Task OnAFakeClockTheIdleConnectionIsClosedWhenTheTimeoutPassesAndTheActiveOneIsNot()
    {
        var clock = new FakeTimeProvider();
        var recording = new RecordingHandler(new EchoService(FrameSpec.Line));
        await using var server = Loopback.StartServer(recording, new SocketServerOptions { IdleTimeout = TimeSpan.FromSeconds(10), TimeProvider = clock });
        using var quiet = await Loopback.ConnectAsync(server);
        var quietOnServer = await recording.First.WithTimeout();
        using var busy = await Loopback.ConnectAsync(server);

        // 12 s in 3 s steps; before each step the busy client's line is echoed, so the server saw it at that time.
        for (var step = 0; step < 4; step++)
        {
            await busy.SendAsync("x\n"u8.ToArray());
            Assert.Equal("x\n"u8.ToArray(), await busy.ReceiveExactlyAsync(2));
            Assert.Null(quietOnServer.CloseReason); // 0, 3, 6, 9 s idle: under the timeout
            clock.Advance(TimeSpan.FromSeconds(3));
        }

        Assert.True(await quiet.WasClosedByPeerAsync()); // 12 s idle: the heartbeat closes it (a FIN, nothing was lost)
        Assert.Equal(CloseReasonKind.IdleTimeout, quietOnServer.CloseReason?.Kind);
        Assert.Contains("idle for 10 s (idle timeout)", quietOnServer.CloseReason!.Message, StringComparison.Ordinal);
        await busy.SendAsync("y\n"u8.ToArray()); // 3 s idle: still served
        Assert.Equal("y\n"u8.ToArray(), await busy.ReceiveExactlyAsync(2));
        Assert.All(recording.Connections.Where(c => c != quietOnServer), c => Assert.Null(c.CloseReason));
    }

    [Fact]
    public async Task BusyPortIsRefusedWithAddressInUseNamingTheEndpoint()
    {
        await using var first = Loopback.StartServer(new EchoService(FrameSpec.Raw));
        await using var second = new SocketServer(new SocketServerOptions { EndPoint = first.LocalEndPoint }, new EchoService(FrameSpec.Raw));

        var error = Assert.Throws<ConnectionException>(second.Start);

        Assert.Equal(ConnectionErrorKind.AddressInUse, error.Kind);
        Assert.Contains($"127.0.0.1:{first.Port()}", error.Message, StringComparison.Ordinal);
        Assert.Contains("address already in use", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APeerThatResetsRightAfterTheHandshakeIsAResetNamingTheEndpointNotASocketError()
    {
        // What a server that resets at accept (--allow, --deny, a limit) does to a client still setting up its connection.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!).WithTimeout();
        using (var accepted = await listener.AcceptAsync().WithTimeout())
        {
            accepted.LingerState = new LingerOption(true, 0); // close() sends RST
        }

        Assert.True(client.Poll(Loopback.Timeout, SelectMode.SelectRead)); // the RST has arrived
        var display = $"127.0.0.1:{((IPEndPoint)listener.LocalEndPoint!).Port}";

        var error = Assert.Throws<ConnectionException>(() => SocketConnector.Start(client, display, null, null));

        Assert.Equal(ConnectionErrorKind.Reset, error.Kind);
        Assert.Equal($"cannot connect to {display}: connection reset by peer", error.Message);
    }

    [Fact]
    public async Task ConnectingToAClosedPortIsRefused()
    {
        int port;
        await using (var server = Loopback.StartServer(new EchoService(FrameSpec.Raw)))
        {
            port = server.Port();
        }

        var error = await Assert.ThrowsAsync<ConnectionException>(() => SocketConnector.ConnectAsync("127.0.0.1", port)).WithTimeout();

        Assert.Equal(ConnectionErrorKind.Refused, error.Kind);
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownHostIsReportedByName()
    {
        var error = await Assert.ThrowsAsync<ConnectionException>(() => SocketConnector.ConnectAsync("no-such-host.invalid", 80)).WithTimeout();

        Assert.Equal(ConnectionErrorKind.UnknownHost, error.Kind);
        Assert.Contains("no-such-host.invalid", error.Message, StringComparison.Ordinal);
    }

    internal static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(condition, static () => "");

    /// <summary>Polls <paramref name="condition"/> until the test timeout; a failure says <paramref name="state"/>.</summary>
    internal static async Task WaitUntilAsync(Func<bool> condition, Func<string> state)
    {
        var deadline = DateTime.UtcNow + Loopback.Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"condition not met in time {state()}".TrimEnd());
            await Task.Delay(10);
        }
    }
}
