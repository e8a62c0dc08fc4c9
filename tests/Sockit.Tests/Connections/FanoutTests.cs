using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Sockit.Framing;
using Sockit.Services;
using Sockit.Connections;

namespace Sockit.Tests.Connections;

/// <summary>Fan-out under pressure: publishers wait for readers, only members that stop draining are cut (with RST).</summary>
public sealed class FanoutTests
{
    private static readonly SocketServerOptions SmallOutput = new()
    {
        Connection = ConnectionOptions.Default with { OutputPauseThreshold = 64 * 1024 },
    };

    [Fact]
    public async Task ChatStaysBoundedUnderTwentyNonReadersCutsThemWithAResetAndTheReaderGetsEveryLine()
    {
        const int NonReaders = 20;
        const int LinesPerSender = 40;
        const long Limit = 256 * 1024;
        var chat = new ChatService(fanout: new FanoutOptions { MaxQueuedBytes = Limit, SlowConsumerTimeout = TimeSpan.FromSeconds(1) });
        await using var server = Loopback.StartServer(chat, SmallOutput);

        using var reader = await Loopback.ConnectAsync(server);
        using var readerStream = new NetworkStream(reader);
        using var readerLines = new StreamReader(readerStream, Encoding.UTF8);
        var stuck = new List<Socket>();
        for (var i = 0; i < NonReaders; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 16 * 1024 };
            await socket.ConnectAsync(server.LocalEndPoint).WaitAsync(Loopback.Timeout);
            stuck.Add(socket);
        }

        using var alice = await Loopback.ConnectAsync(server);
        using var bob = await Loopback.ConnectAsync(server);
        var members = NonReaders + 3;
        while (!(await ReadLineAsync(readerLines)).Contains($"({members} online)", StringComparison.Ordinal))
        {
        }

        // The senders are members too: they drain what the other one says.
        var drains = new[] { DrainAsync(alice), DrainAsync(bob) };
        var peak = 0L;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, chat.Fanout.QueuedBytes);
                await Task.Delay(2, CancellationToken.None);
            }
        });

        var padding = new string('x', 64 * 1024);
        var sending = Task.WhenAll(SendLinesAsync(alice, "alice"), SendLinesAsync(bob, "bob"));
        var next = new Dictionary<string, int> { ["alice"] = 0, ["bob"] = 0 };
        while (next["alice"] + next["bob"] < 2 * LinesPerSender)
        {
            var line = await ReadLineAsync(readerLines);
            if (line.StartsWith("* ", StringComparison.Ordinal))
            {
                continue; // a cut member leaving
            }

            var text = line[(line.IndexOf("] ", StringComparison.Ordinal) + 2)..];
            var sender = text[..text.IndexOf(' ', StringComparison.Ordinal)];
            Assert.Equal($"{sender} {next[sender]:000} {padding}", text);
            next[sender]++;
        }

        await sending.WithTimeout();
        await sampling.CancelAsync();
        await sampler.WithTimeout();

        foreach (var socket in stuck)
        {
            Assert.True(await ResetByPeerAsync(socket), "a member that stopped reading saw a clean EOF instead of a reset");
            socket.Dispose();
        }

        Assert.Equal(NonReaders, chat.Fanout.SlowConsumersCut);
        Assert.True(chat.Fanout.BytesDropped > 0);

        // Each member holds at most its limit plus one frame per publisher (two senders and the notices).
        var bound = members * (Limit + (3 * (padding.Length + 64)));
        Assert.True(peak <= bound, $"the fan-out queued {peak} bytes; bound {bound}");
        alice.Shutdown(SocketShutdown.Send);
        bob.Shutdown(SocketShutdown.Send);
        await Task.WhenAll(drains).WithTimeout();

        static async Task SendLinesAsync(Socket socket, string name)
        {
            var padding = new string('x', 64 * 1024);
            for (var i = 0; i < LinesPerSender; i++)
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes($"{name} {i:000} {padding}\n"));
            }
        }
    }

    [Fact]
    public async Task AMemberLeavingReleasesAPublisherWaitingOnIt()
    {
        const long Limit = 64 * 1024;
        var broker = new BrokerService(FrameSpec.Length, fanout: new FanoutOptions { MaxQueuedBytes = Limit, SlowConsumerTimeout = Timeout.InfiniteTimeSpan });
        var recording = new RecordingHandler(broker);
        await using var server = Loopback.StartServer(recording, SmallOutput);
        var stuck = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 16 * 1024 };
        await stuck.ConnectAsync(server.LocalEndPoint).WaitAsync(Loopback.Timeout);
        using var reader = await Loopback.ConnectAsync(server);
        using var publisher = await Loopback.ConnectAsync(server);
        await LimitsTests.WaitUntilAsync(() => broker.Fanout.Count == 3);

        // 8 MiB of frames: far more than the stuck member's buffers, so the publisher comes to wait on it.
        const int Frames = 256;
        var frame = new byte[4 + (32 * 1024)];
        BinaryPrimitives.WriteUInt32BigEndian(frame, 32 * 1024);
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < Frames; i++)
            {
                await publisher.SendAsync(frame);
            }
        });
        var reading = reader.ReceiveExactlyAsync(Frames * frame.Length);
        await LimitsTests.WaitUntilAsync(() => broker.Fanout.QueuedBytes >= Limit);
        Assert.False(reading.IsCompleted);

        // Closing with a reset: the server learns at once that it left, however much it had queued for it.
        stuck.LingerState = new LingerOption(true, 0);
        stuck.Dispose();

        await reading.WithTimeout();
        await sending.WithTimeout();
        Assert.Equal(0, broker.Fanout.SlowConsumersCut);
    }

    [Fact]
    public async Task RelayKeepsInputForTheFirstClientWithoutReadingAheadAndFinishesWithFin()
    {
        const long Limit = 64 * 1024;
        var data = new byte[4 << 20];
        new Random(3).NextBytes(data);
        using var printed = new MemoryStream();
        using var printer = new FramePrinter(printed, FrameSpec.Raw);
        var relay = new RelayService(FrameSpec.Raw, null, printer, new FanoutOptions { MaxQueuedBytes = Limit });
        await using var server = Loopback.StartServer(relay);
        using var input = new MemoryStream(data);

        var relaying = relay.RelayInputAsync(input, finishAtEnd: true);
        await LimitsTests.WaitUntilAsync(() => relay.Fanout.QueuedBytes >= Limit);
        Assert.False(relaying.IsCompleted, "the whole input was read with no client to take it");
        Assert.True(relay.Fanout.QueuedBytes <= Limit + (64 * 1024), $"{relay.Fanout.QueuedBytes} bytes kept");

        using var client = await Loopback.ConnectAsync(server);
        Assert.Equal(data, await client.ReceiveToEndAsync());
        await relaying.WithTimeout();
    }

    [Fact]
    public async Task ANewcomersFirstLineIsItsWelcomeEvenWhenALineArrivesAsItJoins()
    {
        // A room whose head count, when first asked for after a join, receives a line from another node: the moment a
        // late line from Redis can arrive. Before, the welcome was queued after the join, so that line came first.
        var room = new LineArrivingRoom(new Fanout(FrameSpec.Line));
        await using var server = Loopback.StartServer(new ChatService(room));
        using var newcomer = await Loopback.ConnectAsync(server);
        using var lines = new StreamReader(new NetworkStream(newcomer), Encoding.UTF8);

        Assert.StartsWith("* welcome ", await ReadLineAsync(lines), StringComparison.Ordinal);
        Assert.Equal("[elsewhere] a line from another node", await ReadLineAsync(lines));
    }

    /// <summary>A room that, when its count is first read with a member in it, publishes a line as if from another node.</summary>
    private sealed class LineArrivingRoom(Fanout members) : IFanoutRoom
    {
        private int _arrived;

        public Fanout Members { get; } = members;

        public int Count
        {
            get
            {
                if (Members.Count > 0 && Interlocked.Exchange(ref _arrived, 1) == 0)
                {
                    var line = new ReadOnlySequence<byte>("[elsewhere] a line from another node"u8.ToArray());
                    Members.PublishAsync(line, except: null).AsTask().GetAwaiter().GetResult();
                }

                return Members.Count;
            }
        }

        public ValueTask PublishAsync(in ReadOnlySequence<byte> payload, Connection? sender, CancellationToken cancellationToken = default) =>
            Members.PublishAsync(payload, sender, cancellationToken);
    }

    private static async Task<string> ReadLineAsync(StreamReader reader)
    {
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        return await reader.ReadLineAsync(cts.Token) ?? throw new EndOfStreamException("the server closed the reading member");
    }

    private static Task DrainAsync(Socket socket) => Task.Run(async () =>
    {
        var buffer = new byte[64 * 1024];
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        while (await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token) > 0)
        {
        }
    });

    /// <summary>Reads what is left, then true if the connection ended with a reset, false on a clean EOF.</summary>
    private static async Task<bool> ResetByPeerAsync(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token) > 0)
            {
            }

            return false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }
}
