using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Sockit.Addressing;
using Sockit.Diagnostics;
using Sockit.Framing;
using Sockit.Services;
using Sockit.Connections;
using Microsoft.Extensions.Time.Testing;

namespace Sockit.Tests.Connections;

/// <summary>The core under pressure: memory that follows the bytes, loops that cannot leak, limits at accept.</summary>
public sealed class PressureTests
{
    [Theory]
    [InlineData("length")]
    [InlineData("line")]
    [InlineData("delim:\\0")]
    public async Task AFrameTrickledAByteAtATimeCostsAboutItsOwnSize(string spec)
    {
        var echo = new EchoService(FrameSpec.Parse(spec));
        Connection? served = null;
        await using var server = Loopback.StartServer(new DelegateHandler(async (connection, stopping) =>
        {
            served = connection;
            await echo.HandleAsync(connection, stopping);
        }));
        using var client = await Loopback.ConnectAsync(server);
        if (spec == "length")
        {
            var lengthHeader = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(lengthHeader, 1_000_000);
            await client.SendAsync(lengthHeader);
        }

        var headerLength = spec == "length" ? 4 : 0;

        // One send per byte, each a segment of its own (TCP_NODELAY): the server sees many tiny receives.
        const int Bytes = 5_000;
        var one = "x"u8.ToArray();
        for (var i = 0; i < Bytes; i++)
        {
            await client.SendAsync(one);
        }

        await LimitsTests.WaitUntilAsync(() => served?.BytesReceived == headerLength + Bytes);

        // Before: every receive rented a fresh 8 KiB segment, ~1.7 KiB per byte sent (8 MiB here).
        Assert.True(server.Memory.Used < 64 << 10, $"{server.Memory.Used} bytes buffered for {Bytes} bytes of one frame");
    }

    [Fact]
    public async Task IdleConnectionsHoldNoReceiveBuffer()
    {
        await using var server = Loopback.StartServer(new EchoService(FrameSpec.Line));
        var clients = new List<Socket>();
        try
        {
            for (var i = 0; i < 100; i++)
            {
                var client = await Loopback.ConnectAsync(server);
                clients.Add(client);
                await client.SendAsync("hi\n"u8.ToArray());
                await client.ReceiveExactlyAsync(3);
            }

            // Before: each receive loop held an 8 KiB buffer while it waited (800 KiB here).
            await LimitsTests.WaitUntilAsync(() => server.Memory.Used == 0);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task ClientsThatStopReadingAreBoundedByTheMemoryBudgetAndTheStalledAreReset()
    {
        const long Budget = 4 << 20;
        await using var server = Loopback.StartServer(new EchoService(FrameSpec.Raw), new SocketServerOptions { MaxBufferedBytes = Budget });
        var payload = new byte[8 << 20];
        var clients = new List<Socket>();
        using var stop = new CancellationTokenSource(Loopback.Timeout);
        try
        {
            // Ten clients each send 8 MiB, more than the kernel's buffers hold, and never read their echo:
            // unbounded, that is ~2 MiB of pipes per connection, 20 MiB in all.
            for (var i = 0; i < 10; i++)
            {
                var client = await Loopback.ConnectAsync(server, receiveBufferSize: 16 << 10);
                clients.Add(client);
                _ = SendIgnoringResetAsync(client, payload, stop.Token);
            }

            await LimitsTests.WaitUntilAsync(() => server.ResetCount > 0, () =>
                $"(buffered {server.Memory.Used} of {Budget}, peak {server.Memory.Peak}, {server.ConnectionCount} connections, {server.ResetCount} reset)");

            // A reading client is still served once the stalled ones are cut.
            using var good = await Loopback.ConnectAsync(server);
            await good.SendAsync("still here"u8.ToArray());
            Assert.Equal("still here"u8.ToArray(), await good.ReceiveExactlyAsync(10));
        }
        finally
        {
            await stop.CancelAsync();
            clients.ForEach(c => c.Dispose());
        }

        // Reading pauses at the budget; each connection may overshoot by one receive and its echo of it.
        Assert.True(server.Memory.Peak < Budget + (10 * (256 << 10)), $"peak {server.Memory.Peak} bytes with a budget of {Budget}");
        await LimitsTests.WaitUntilAsync(() => server.ConnectionCount == 0 && server.Memory.Used == 0);
    }

    [Fact]
    public async Task AnEchoWhoseOutputResumesCopiesItsFullInputBackAPassAtATimeNotAllAtOnce()
    {
        // A client sends more than the kernel and the pipes hold and reads nothing: the echo's output pauses at
        // 1 MiB (the default) and its input fills behind it to 4 MiB. Then the client reads it all back.
        const int InputThreshold = 4 << 20;
        await using var server = Loopback.StartServer(new EchoService(FrameSpec.Raw),
            new SocketServerOptions { Connection = ConnectionOptions.Default with { InputPauseThreshold = InputThreshold } });
        using var client = await Loopback.ConnectAsync(server, receiveBufferSize: 16 << 10);
        using var stop = new CancellationTokenSource(Loopback.Timeout);
        const int Total = 32 << 20;
        var sending = SendIgnoringResetAsync(client, new byte[Total], stop.Token);
        await LimitsTests.WaitUntilAsync(() => server.Memory.Used >= InputThreshold + (1 << 20), () => $"(buffered {server.Memory.Used})");
        var stalled = server.Memory.Peak;

        var buffer = new byte[64 << 10];
        long echoed = 0;
        while (echoed < Total && await client.ReceiveAsync(buffer, stop.Token) is > 0 and var n)
        {
            echoed += n;
        }

        await sending;
        Assert.Equal(Total, echoed);

        // Before: the first pass after the output resumed copied the whole 4 MiB input while still holding it.
        var added = server.Memory.Peak - stalled;
        Assert.True(added < 256 << 10, $"the peak grew by {added} bytes past the {stalled} held when the output paused");
    }

    [Fact]
    public async Task AClientThatResetsWithDataUnreadIsNotCountedAsResetByTheServer()
    {
        // A client floods an echo it never reads, then closes with RST (SO_LINGER 0) while the server still holds
        // unread bytes from it. The reset is the client's: the server's stop line must not claim it.
        await using var server = Loopback.StartServer(new EchoService(FrameSpec.Raw));
        using var stop = new CancellationTokenSource(Loopback.Timeout);
        for (var i = 0; i < 3; i++)
        {
            var client = await Loopback.ConnectAsync(server, receiveBufferSize: 16 << 10);
            var sending = SendIgnoringResetAsync(client, new byte[16 << 20], stop.Token);
            await LimitsTests.WaitUntilAsync(() => server.Memory.Used >= 1 << 20, () => $"(buffered {server.Memory.Used})");
            client.LingerState = new LingerOption(true, 0);
            client.Dispose();
            await sending;
            await LimitsTests.WaitUntilAsync(() => server.ConnectionCount == 0, () => $"({server.ConnectionCount} connections)");
        }

        // Before: closing a socket the peer had reset, with its bytes still unread, was counted as our own reset.
        Assert.Equal(0, server.ResetCount);
    }

    [Fact]
    public async Task StalledConnectionsAreStillCutWhileUseIsUnderTheLimitButReadingIsPausedUntilSevenEighths()
    {
        // A handler that never reads: its connection's input fills the 1 MiB budget and its receive loop pauses for
        // room. Everything is still: nothing is sent, and the heartbeat runs only when the fake clock moves.
        const long Limit = 1 << 20;
        var clock = new FakeTimeProvider();
        var budget = new MemoryBudget(Limit);
        await using var server = Loopback.StartServer(
            new DelegateHandler((connection, _) => connection.Closed),
            new SocketServerOptions { TimeProvider = clock, Connection = ConnectionOptions.Default with { MemoryBudget = budget } });
        using var client = await Loopback.ConnectAsync(server);
        using var stop = new CancellationTokenSource(Loopback.Timeout);
        var sending = SendIgnoringResetAsync(client, new byte[4 << 20], stop.Token);
        await LimitsTests.WaitUntilAsync(() => budget.HasPausedReceivers, () => $"(buffered {budget.Used})");

        // Memory freed elsewhere brings use under the limit but not under 7/8 of it, where reading resumes: this
        // stalled connection now holds the server's reading paused until someone cuts it.
        var freed = budget.Used - (Limit - (Limit >> 4));
        budget.Add(-freed);
        Assert.False(budget.IsExhausted);
        Assert.True(budget.HasPausedReceivers);

        // Before: the heartbeat cut only past the limit, so nothing ever freed memory and reading never resumed.
        clock.Advance(TimeSpan.FromSeconds(2));
        await LimitsTests.WaitUntilAsync(() => server.ResetCount == 1, () => $"(buffered {budget.Used}, paused {budget.HasPausedReceivers})");
        budget.Add(freed);
        await stop.CancelAsync();
        await sending;
    }

    [Fact]
    public async Task AnObserverThatThrowsEndsItsConnectionWithTheErrorAndTheServerForgetsIt()
    {
        var recording = new RecordingHandler(new EchoService(FrameSpec.Raw));
        var options = new SocketServerOptions { Connection = ConnectionOptions.Default with { Observer = new ThrowingObserver() } };
        await using var server = Loopback.StartServer(recording, options);
        using var client = await Loopback.ConnectAsync(server);

        await client.SendAsync("boom"u8.ToArray());

        Assert.True(await client.WasClosedByPeerAsync());
        var reason = await EchoServerTests.WaitForReasonsAsync(recording, CloseReasonKind.Error);
        Assert.Contains("observer failed on purpose", reason.Message, StringComparison.Ordinal);
        await LimitsTests.WaitUntilAsync(() => server.ConnectionCount == 0);
    }

    [Fact]
    public async Task ClosedCompletesWhenBothSidesAreDoneWithoutCloseAsync()
    {
        await using var server = Loopback.StartServer(new EchoService(FrameSpec.Raw));
        var connection = await SocketConnector.ConnectAsync("127.0.0.1", server.Port());

        await connection.Output.WriteAsync("bye"u8.ToArray());
        await connection.Output.CompleteAsync(); // FIN; the echo server answers and closes.
        while (true)
        {
            var result = await connection.Input.ReadAsync().AsTask().WaitAsync(Loopback.Timeout);
            connection.Input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        await connection.Closed.WaitAsync(Loopback.Timeout);
        Assert.Equal(CloseReasonKind.PeerClosed, connection.CloseReason?.Kind);
    }

    [Fact]
    public async Task AFrameTrickledSlowerThanTheFrameTimeoutIsReset()
    {
        var recording = new RecordingHandler(new EchoService(FrameSpec.Line));
        var options = new SocketServerOptions { FrameTimeout = TimeSpan.FromMilliseconds(500) };
        await using var server = Loopback.StartServer(recording, options);
        using var client = await Loopback.ConnectAsync(server);

        // A slowloris: a byte every 100 ms stays far inside the idle timeout but never finishes its line.
        var reset = false;
        for (var i = 0; i < 100 && !reset; i++)
        {
            try
            {
                await client.SendAsync("x"u8.ToArray());
                await Task.Delay(100);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted)
            {
                reset = true;
            }
        }

        var reason = await EchoServerTests.WaitForReasonsAsync(recording, CloseReasonKind.FrameTimeout);
        Assert.Contains("frame timeout", reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClientHeldBackByTheServersOwnBackpressureIsNotTakenForASlowloris()
    {
        await using var server = Loopback.StartServer(new EchoService(FrameSpec.Length), new SocketServerOptions { FrameTimeout = TimeSpan.FromMilliseconds(300) });
        using var client = await Loopback.ConnectAsync(server, receiveBufferSize: 16 << 10);
        var frame = new byte[4 + (64 << 10)];
        BinaryPrimitives.WriteUInt32BigEndian(frame, 64 << 10);
        Random.Shared.NextBytes(frame.AsSpan(4));
        const int Frames = 200; // 12.8 MiB: far more than the kernel and the server buffer while the client is not reading

        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < Frames; i++)
            {
                await client.SendAsync(frame);
            }
        });
        await Task.Delay(1500); // the scenario: a client that reads late, so the server stops reading it mid-frame

        for (var i = 0; i < Frames; i++)
        {
            Assert.Equal(frame, await client.ReceiveExactlyAsync(frame.Length));
        }

        await sending.WaitAsync(Loopback.Timeout);
        Assert.Equal(0, server.ResetCount);
    }

    [Fact]
    public async Task WholeFramesNeverStartTheFrameClock()
    {
        var options = new SocketServerOptions { FrameTimeout = TimeSpan.FromMilliseconds(300) };
        await using var server = Loopback.StartServer(new EchoService(FrameSpec.Line), options);
        using var client = await Loopback.ConnectAsync(server);

        for (var i = 0; i < 10; i++)
        {
            await client.SendAsync("ok\n"u8.ToArray());
            Assert.Equal("ok\n"u8.ToArray(), await client.ReceiveExactlyAsync(3));
            await Task.Delay(100); // Idle between frames is not a frame in progress.
        }

        Assert.Equal(0, server.ResetCount);
    }

    [Fact]
    public async Task APerAddressLimitResetsTheExtraClientOnly()
    {
        await using var server = Loopback.StartServer(new EchoService(FrameSpec.Raw), new SocketServerOptions { MaxConnectionsPerAddress = 2 });
        using var first = await Loopback.ConnectAsync(server);
        using var second = await Loopback.ConnectAsync(server);
        await first.SendAsync("1"u8.ToArray());
        await first.ReceiveExactlyAsync(1);
        await second.SendAsync("2"u8.ToArray());
        await second.ReceiveExactlyAsync(1);

        Assert.True(await Loopback.IsResetAtOnceAsync(server));
        Assert.Equal(1, server.RejectedCount);

        first.Dispose();
        await LimitsTests.WaitUntilAsync(() => server.ConnectionCount == 1);
        using var third = await Loopback.ConnectAsync(server);
        await third.SendAsync("3"u8.ToArray());
        Assert.Equal("3"u8.ToArray(), await third.ReceiveExactlyAsync(1));
    }

    [Theory]
    [InlineData(new string[0], new[] { "127.0.0.0/8" })]
    [InlineData(new[] { "10.0.0.0/8" }, new string[0])]
    [InlineData(new string[0], new[] { "::ffff:127.0.0.0/104" })] // an IPv4 peer matches its IPv4-mapped form too
    [InlineData(new[] { "::ffff:10.0.0.0/104" }, new string[0])]
    public async Task ClientsOutsideAllowOrInsideDenyAreResetAndCounted(string[] allow, string[] deny)
    {
        var options = new SocketServerOptions { Allow = allow.Select(Subnet.Parse).ToArray(), Deny = deny.Select(Subnet.Parse).ToArray() };
        await using var server = Loopback.StartServer(new EchoService(FrameSpec.Raw), options);

        Assert.True(await Loopback.IsResetAtOnceAsync(server));
        Assert.Equal(1, server.RefusedCount);
        Assert.Equal(0, server.ConnectionCount);
    }

    [Fact]
    public async Task RefusalsInAFloodAreLoggedOnceASecondWithACount()
    {
        var logger = new RecordingLogger();
        var server = new SocketServer(new SocketServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), MaxConnections = 1 }, new EchoService(FrameSpec.Raw), logger);
        await using (server)
        {
            server.Start();
            using var holder = await Loopback.ConnectAsync(server);
            await holder.SendAsync("x"u8.ToArray());
            await holder.ReceiveExactlyAsync(1);
            for (var i = 0; i < 50; i++)
            {
                Assert.True(await Loopback.IsResetAtOnceAsync(server));
            }

            await LimitsTests.WaitUntilAsync(() => server.RejectedCount == 50);

            // The flood is over: once its second has passed, what was held back is counted, not lost (before, a flood
            // that ended inside one second was never counted).
            await LimitsTests.WaitUntilAsync(() => Counted(logger) == 50);
        }

        var lines = logger.Warnings.Count(w => w.Contains("refused", StringComparison.Ordinal));
        Assert.True(lines < 10, $"{lines} lines for 50 refusals:\n{string.Join('\n', logger.Warnings)}");
    }

    private static int Counted(RecordingLogger logger) =>
        logger.Warnings.Sum(w => w.StartsWith("refused", StringComparison.Ordinal) ? 1 + HeldBackIn(w) : HeldBackIn(w));

    // "(+N like it since the last such line)" or "N more 'refused' line(s) held back": the refusals a line stands for.
    private static int HeldBackIn(string line)
    {
        var plus = System.Text.RegularExpressions.Regex.Match(line, @"\(\+(\d+) like it");
        var more = System.Text.RegularExpressions.Regex.Match(line, @"^(\d+) more 'refused'");
        return plus.Success ? int.Parse(plus.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            : more.Success ? int.Parse(more.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    [Fact]
    public async Task StoppingPastTheDrainDeadlineResetsTheSlowClientAndCountsWhatWasDropped()
    {
        var options = new SocketServerOptions { DrainTimeout = TimeSpan.FromMilliseconds(300) };
        var server = Loopback.StartServer(new DelegateHandler(async (connection, _) =>
        {
            // Queue 64 MiB for a client that never reads: more than the kernel's buffers and the output pipe hold.
            var chunk = new byte[64 << 10];
            for (var i = 0; i < 1024; i++)
            {
                var flush = await connection.Output.WriteAsync(chunk);
                if (flush.IsCompleted)
                {
                    return;
                }
            }
        }), options);
        using var client = await Loopback.ConnectAsync(server, receiveBufferSize: 16 << 10);
        await LimitsTests.WaitUntilAsync(() => server.Memory.Used > 512 << 10);

        await server.StopAsync().WaitAsync(Loopback.Timeout);

        Assert.Equal(1, server.ResetCount);
        Assert.True(server.BytesDropped > 0);
        await server.DisposeAsync();
    }

    private static async Task SendIgnoringResetAsync(Socket client, byte[] payload, CancellationToken cancellationToken)
    {
        try
        {
            await client.SendAsync(payload, SocketFlags.None, cancellationToken);
        }
        catch (SocketException)
        {
            // Cut as a slow consumer: expected for some.
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // Paused by the budget and not yet cut when the test ended: the assertions decide.
        }
    }

    private sealed class ThrowingObserver : ITrafficObserver
    {
        public void OnTraffic(Connection connection, TrafficDirection direction, long offset, in ReadOnlySequence<byte> data) =>
            throw new InvalidOperationException("observer failed on purpose");
    }
}
