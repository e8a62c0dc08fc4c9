using System.Text;
using Sockit.Connections;
using Sockit.Framing;
using Sockit.Services;

namespace Sockit.Tests.Connections;

/// <summary>
/// The seam, proven rather than assumed: every service runs unchanged over every transport (TCP, a Unix socket,
/// TLS over either), reached through <see cref="SocketConnector.ConnectAsync(ConnectionEndpoint, TimeSpan?, ConnectionOptions?, TlsClientOptions?, Microsoft.Extensions.Logging.ILogger?, SocketConnectOptions?, CancellationToken)"/>.
/// </summary>
public sealed class TransportMatrixTests
{
    public static TheoryData<string> Transports => [.. TransportServer.All];

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task EchoReturnsLengthFramesByteExactHoweverTheClientSplitsItsWrites(string transport)
    {
        await using var server = TransportServer.Start(transport, new EchoService(FrameSpec.Length));
        await using var client = await server.ConnectAsync();
        var random = new Random(transport.Length * 7919);
        var frames = ConnectionClient.RandomLengthFrames(random, count: 60, maxPayload: 3000);

        await client.WriteSplitAsync(frames, random);
        await client.Output.CompleteAsync(); // half-close: FIN (close_notify first over TLS)

        Assert.Equal(frames, await client.ReadToEndAsync());
        Assert.Equal(frames.Length, client.BytesSent);
        Assert.Equal(frames.Length, client.BytesReceived);
        Assert.Equal(transport.StartsWith("tls", StringComparison.Ordinal), client is TlsConnection);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task HalfCloseLetsTheServerReadToTheEndThenAnswerAndTheClientSeesTheEnd(string transport)
    {
        // The server answers only after the client's end of stream: its input must end while its output still works.
        var handler = new DelegateHandler(async (connection, _) =>
        {
            var received = new MemoryStream();
            while (true)
            {
                var result = await connection.Input.ReadAsync();
                foreach (var segment in result.Buffer)
                {
                    received.Write(segment.Span);
                }

                connection.Input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }

            var bytes = received.ToArray();
            Array.Reverse(bytes);
            await connection.Output.WriteAsync(Encoding.ASCII.GetBytes($"{bytes.Length}:"));
            await connection.Output.WriteAsync(bytes);
        });
        var recording = new RecordingHandler(handler);
        await using var server = TransportServer.Start(transport, recording);
        await using var client = await server.ConnectAsync();
        var random = new Random(transport.Length * 31);
        var data = new byte[100_000];
        random.NextBytes(data);

        await client.WriteSplitAsync(data, random, maxPiece: 20_000);
        await client.Output.CompleteAsync();

        var answer = await client.ReadToEndAsync(); // ends: the server closed after answering
        var expected = Encoding.ASCII.GetBytes($"{data.Length}:").Concat(data.Reverse()).ToArray();
        Assert.Equal(expected, answer);
        var served = await recording.First.WithTimeout();
        await served.Closed.WithTimeout();
        Assert.Equal(data.Length, served.BytesReceived);
        Assert.Equal(expected.Length, served.BytesSent);
        Assert.Equal(0, served.BytesDropped);
        Assert.False(served.IsAborted);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ChatClientsSeeEachOthersLines(string transport)
    {
        await using var server = TransportServer.Start(transport, new ChatService());
        await using var alice = await server.ConnectAsync();
        var aliceLines = alice.Lines();
        Assert.StartsWith("* welcome ", await aliceLines.ReadLineAsync(), StringComparison.Ordinal);
        await using var bob = await server.ConnectAsync();
        var bobLines = bob.Lines();
        Assert.EndsWith("(2 online)", await bobLines.ReadLineAsync(), StringComparison.Ordinal);
        Assert.EndsWith("joined (2 online)", await aliceLines.ReadLineAsync(), StringComparison.Ordinal);

        await bob.WriteSplitAsync("hello from bob\nand a second line\n"u8.ToArray(), new Random(1), maxPiece: 5);
        Assert.EndsWith("] hello from bob", await aliceLines.ReadLineAsync(), StringComparison.Ordinal);
        Assert.EndsWith("] and a second line", await aliceLines.ReadLineAsync(), StringComparison.Ordinal);
        await alice.WriteAsync("hi bob\n");
        Assert.EndsWith("] hi bob", await bobLines.ReadLineAsync(), StringComparison.Ordinal);

        await bob.Output.CompleteAsync();
        Assert.EndsWith("left (1 online)", await aliceLines.ReadLineAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task BrokerRelaysFramesByteExactToTheOtherMember(string transport)
    {
        var broker = new BrokerService(FrameSpec.Length);
        await using var server = TransportServer.Start(transport, broker);
        await using var publisher = await server.ConnectAsync();
        await using var subscriber = await server.ConnectAsync();
        await LimitsTests.WaitUntilAsync(() => broker.Fanout.Count == 2);
        var random = new Random(transport.Length);
        var frames = ConnectionClient.RandomLengthFrames(random, count: 40, maxPayload: 2000);

        await publisher.WriteSplitAsync(frames, random);

        Assert.Equal(frames, await subscriber.ReadExactlyAsync(frames.Length));
        await publisher.Output.CompleteAsync();
        Assert.Empty(await publisher.ReadToEndAsync()); // nothing comes back to the sender, and it is let go
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task SinkReportsTheBytesAndFramesOfEachClient(string transport)
    {
        var report = new TaskCompletionSource<SinkReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = TransportServer.Start(transport, new SinkService(FrameSpec.Length, null, r => report.TrySetResult(r)));
        await using var client = await server.ConnectAsync();
        var random = new Random(transport.Length * 3);
        var frames = ConnectionClient.RandomLengthFrames(random, count: 25, maxPayload: 4000);

        await client.WriteSplitAsync(frames, random);
        await client.Output.CompleteAsync();

        Assert.Empty(await client.ReadToEndAsync());
        var sink = await report.Task.WithTimeout();
        Assert.Equal(frames.Length, sink.Bytes);
        Assert.Equal(25, sink.Frames);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task RelayPrintsWhatTheClientSendsAndDeliversItsInputThenTheEnd(string transport)
    {
        // listen --mode stdio: "stdin" is read before anyone connects and kept for the first client.
        var stdout = new MemoryStream();
        var relay = new RelayService(FrameSpec.Line, null, new FramePrinter(stdout, FrameSpec.Line));
        var recording = new RecordingHandler(relay);
        await using var server = TransportServer.Start(transport, recording);
        await relay.RelayInputAsync(new MemoryStream("from stdin 1\nfrom stdin 2\n"u8.ToArray()), finishAtEnd: true).WithTimeout();

        await using var client = await server.ConnectAsync();
        await client.WriteSplitAsync("to stdout A\nto stdout B\n"u8.ToArray(), new Random(2), maxPiece: 4);
        await client.Output.CompleteAsync();

        Assert.Equal("from stdin 1\nfrom stdin 2\n", Encoding.UTF8.GetString(await client.ReadToEndAsync()));
        await (await recording.First.WithTimeout()).Closed.WithTimeout();
        Assert.Equal("to stdout A\nto stdout B\n", Encoding.UTF8.GetString(stdout.ToArray()));
    }
}

/// <summary>The TLS layer's own risk areas, over both transports: closing with reads pending, the heartbeat watching the TLS connection.</summary>
public sealed class TlsLifecycleTests
{
    public static TheoryData<string> TlsTransports => ["tls-tcp", "tls-unix"];

    [Theory]
    [MemberData(nameof(TlsTransports))]
    public async Task AServerHandlerThatReturnsWhileTheClientStillSendsClosesCleanlyAndCompletesClosed(string transport)
    {
        // The handler returns after one line with more arriving: CloseAsync must stop the pending decrypt
        // (it cancels the transport's read), send close_notify and FIN, and complete Closed.
        var handler = new DelegateHandler(async (connection, _) =>
        {
            var lines = connection.Lines();
            await connection.WriteAsync("first: " + await lines.ReadLineAsync() + "\n");
        });
        var recording = new RecordingHandler(handler);
        await using var server = TransportServer.Start(transport, recording);
        await using var client = await server.ConnectAsync();

        await client.WriteAsync("one\n");
        var clientLines = client.Lines();
        Assert.Equal("first: one", await clientLines.ReadLineAsync());
        await client.WriteAsync("two\nthree\n"); // may arrive while the server is closing
        try
        {
            await clientLines.ReadEndAsync();
        }
        catch (ConnectionException ex) when (ex.Kind is ConnectionErrorKind.Reset or ConnectionErrorKind.BrokenPipe)
        {
            // "two" and "three" were lost (the server never read them): the client is told so, not shown a clean end.
        }

        // Not asserted: whether the server's close was a reset. "two" and "three" were never read, and closing a
        // socket with unread bytes resets it (TCP sends RST; Linux gives a Unix peer ECONNRESET), which the
        // transport records as a reset when the bytes are still in the kernel; either way close_notify came first.
        var served = await recording.First.WithTimeout();
        await served.Closed.WithTimeout();
        Assert.NotNull(served.CloseReason);
        await LimitsTests.WaitUntilAsync(() => server.Server.ConnectionCount == 0);
    }

    [Theory]
    [MemberData(nameof(TlsTransports))]
    public async Task AClientClosingWithUnreadDataFromTheServerFinishes(string transport)
    {
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new DelegateHandler(async (connection, stopping) =>
        {
            await connection.Output.WriteAsync(new byte[200_000], stopping);
            sent.TrySetResult();
            await connection.ReadToEndAsync();
        });
        await using var server = TransportServer.Start(transport, handler);
        var client = await server.ConnectAsync();
        await sent.Task.WithTimeout();

        await client.CloseAsync().AsTask().WithTimeout(); // nobody reads the 200 KB: closing must not wait for it
        await client.Closed.WithTimeout();
        await LimitsTests.WaitUntilAsync(() => server.Server.ConnectionCount == 0);
    }

    [Theory]
    [MemberData(nameof(TlsTransports))]
    public async Task TheIdleTimeoutClosesAnIdleTlsConnection(string transport)
    {
        var recording = new RecordingHandler(new EchoService(FrameSpec.Line));
        await using var server = TransportServer.Start(transport, recording, new SocketServerOptions { IdleTimeout = TimeSpan.FromMilliseconds(500) });
        await using var client = await server.ConnectAsync();
        await client.WriteAsync("one line, then silence\n");
        var lines = client.Lines();
        Assert.Equal("one line, then silence", await lines.ReadLineAsync());

        await lines.ReadEndAsync();

        var served = await recording.First.WithTimeout();
        await served.Closed.WithTimeout();
        Assert.Equal(CloseReasonKind.IdleTimeout, served.CloseReason?.Kind);
    }

    [Theory]
    [MemberData(nameof(TlsTransports))]
    public async Task TheFrameTimeoutResetsATlsClientThatStopsMidFrame(string transport)
    {
        // The heartbeat must watch the TLS connection's plaintext frames (the server's entry swaps to it after the handshake).
        var recording = new RecordingHandler(new EchoService(FrameSpec.Line));
        await using var server = TransportServer.Start(transport, recording, new SocketServerOptions { FrameTimeout = TimeSpan.FromMilliseconds(500) });
        await using var client = await server.ConnectAsync();
        await client.WriteAsync("a line that never ends");

        try
        {
            Assert.Empty(await client.ReadToEndAsync());
        }
        catch (IOException)
        {
            // Reset: the expected way for it to end.
        }

        var served = await recording.First.WithTimeout();
        await served.Closed.WithTimeout();
        Assert.Equal(CloseReasonKind.FrameTimeout, served.CloseReason?.Kind);
    }
}
