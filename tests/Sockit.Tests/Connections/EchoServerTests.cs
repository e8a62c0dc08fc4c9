using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using Sockit.Framing;
using Sockit.Services;
using Sockit.Connections;

namespace Sockit.Tests.Connections;

public sealed class EchoServerTests
{
    private static byte[] LengthFrame(byte[] payload)
    {
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)payload.Length);
        payload.CopyTo(frame, 4);
        return frame;
    }

    [Fact]
    public async Task FiveHundredConcurrentClientsEachGetTheirOwnStreamBackIntact()
    {
        await using var server = Loopback.StartServer(new EchoService(FrameSpec.Length));
        const int clients = 500;
        const int messagesEach = 20;

        async Task RunClientAsync(int id)
        {
            using var socket = await Loopback.ConnectAsync(server);
            var expected = new MemoryStream();
            for (var i = 0; i < messagesEach; i++)
            {
                var payload = new byte[(id * 7 + i * 13) % 300];
                new Random(id * 1000 + i).NextBytes(payload);
                var frame = LengthFrame(payload);
                expected.Write(frame);
                await socket.SendAsync(frame);
            }

            socket.Shutdown(SocketShutdown.Send);
            var echoed = await socket.ReceiveToEndAsync();
            Assert.Equal(expected.ToArray(), echoed);
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(RunClientAsync)).WithTimeout();
    }

    [Fact]
    public async Task ServerKeepsServingAfterAClientLeaves()
    {
        await using var server = Loopback.StartServer(new EchoService(FrameSpec.Line));
        for (var i = 0; i < 3; i++)
        {
            using var socket = await Loopback.ConnectAsync(server);
            await socket.SendAsync("hello\n"u8.ToArray());
            Assert.Equal("hello\n"u8.ToArray(), await socket.ReceiveExactlyAsync(6));
            socket.Close();
        }
    }

    [Fact]
    public async Task OversizeLengthHeaderClosesOnlyThatClientWithABadFrameReason()
    {
        var recording = new RecordingHandler(new EchoService(FrameSpec.Length, new FramingOptions { MaxFrameSize = 16 }));
        await using var server = Loopback.StartServer(recording);
        using var good = await Loopback.ConnectAsync(server);
        using var bad = await Loopback.ConnectAsync(server);

        await bad.SendAsync([0, 0, 0x10, 0]); // announces 4096 bytes; not one payload byte follows
        Assert.True(await bad.WasClosedByPeerAsync());

        await good.SendAsync(LengthFrame("ok"u8.ToArray()));
        Assert.Equal(LengthFrame("ok"u8.ToArray()), await good.ReceiveExactlyAsync(6));

        var reasons = await WaitForReasonsAsync(recording, CloseReasonKind.BadFrame);
        Assert.Contains("4096", reasons.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SkipPolicyDiscardsTheOversizeFrameAndEchoesTheNextOne()
    {
        await using var server = Loopback.StartServer(new EchoService(FrameSpec.Length, new FramingOptions { MaxFrameSize = 16, OnBadFrame = BadFramePolicy.Skip }));
        using var socket = await Loopback.ConnectAsync(server);

        await socket.SendAsync(LengthFrame(new byte[1000]));
        await socket.SendAsync(LengthFrame("next"u8.ToArray()));

        Assert.Equal(LengthFrame("next"u8.ToArray()), await socket.ReceiveExactlyAsync(8));
    }

    [Fact]
    public async Task ClientThatDiesInTheMiddleOfAFrameIsReportedAsTruncatedAndOthersCarryOn()
    {
        var recording = new RecordingHandler(new EchoService(FrameSpec.Length));
        await using var server = Loopback.StartServer(recording);
        using (var dying = await Loopback.ConnectAsync(server))
        {
            await dying.SendAsync([0, 0, 0, 100, 1, 2, 3]); // 3 of 100 payload bytes, then gone
        }

        var reason = await WaitForReasonsAsync(recording, CloseReasonKind.BadFrame);
        Assert.Contains("ended inside", reason.Message, StringComparison.Ordinal);

        using var other = await Loopback.ConnectAsync(server);
        await other.SendAsync(LengthFrame("alive"u8.ToArray()));
        Assert.Equal(LengthFrame("alive"u8.ToArray()), await other.ReceiveExactlyAsync(9));
    }

    [Theory]
    [InlineData("length")]
    [InlineData("varint")]
    [InlineData("fixed:200000")]
    public async Task ALargeFrameIsEchoedAsItArrivesNotHeldUntilItsLastByte(string framing)
    {
        var spec = FrameSpec.Parse(framing);
        await using var server = Loopback.StartServer(new EchoService(spec));
        using var socket = await Loopback.ConnectAsync(server);
        var payload = new byte[200_000];
        new Random(5).NextBytes(payload);
        var frame = Encode(spec, payload);

        // Header and the first 100,000 bytes; the rest is sent only once they came back. Held whole, they never would.
        var firstPart = frame.Length - 100_000;
        await socket.SendAsync(frame.AsMemory(0, firstPart));
        Assert.Equal(frame[..firstPart], await socket.ReceiveExactlyAsync(firstPart));
        var next = Encode(spec, new byte[spec.Kind == FrameKind.Fixed ? 200_000 : 3]); // the frame after it is decoded as usual
        await socket.SendAsync(frame.AsMemory(firstPart));
        await socket.SendAsync(next);
        Assert.Equal(frame[firstPart..], await socket.ReceiveExactlyAsync(frame.Length - firstPart));
        Assert.Equal(next, await socket.ReceiveExactlyAsync(next.Length));
    }

    [Fact]
    public async Task AClientThatDiesInsideALargeFrameBeingEchoedIsReportedAsTruncated()
    {
        var recording = new RecordingHandler(new EchoService(FrameSpec.Length));
        await using var server = Loopback.StartServer(recording);
        using (var dying = await Loopback.ConnectAsync(server))
        {
            var frame = LengthFrame(new byte[100_000]);
            await dying.SendAsync(frame.AsMemory(0, 50_004)); // half, echoed as it came; then gone
            Assert.Equal(50_004, (await dying.ReceiveExactlyAsync(50_004)).Length);
        }

        var reason = await WaitForReasonsAsync(recording, CloseReasonKind.BadFrame);
        Assert.Contains("ended inside a length:u32be frame: 50000 byte(s) of it never came", reason.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("raw")]
    [InlineData("line")]
    [InlineData("delim:\\n")]
    [InlineData("delim:XYZ")]
    [InlineData("length")]
    [InlineData("varint")]
    [InlineData("fixed:200000")]
    public async Task AFrameLargerThanOnePassOfTheEchoComesBackWhole(string framing)
    {
        // Sent at once and then FIN: the echo takes it in passes of at most 64 KiB. A delimiter frame's end can only be
        // found by searching everything buffered (before: a 64 KiB window never held it, and the echo spun forever).
        var spec = FrameSpec.Parse(framing);
        await using var server = Loopback.StartServer(new EchoService(spec));
        using var socket = await Loopback.ConnectAsync(server);
        var frame = Encode(spec, Enumerable.Repeat((byte)'a', 200_000).ToArray());
        await socket.SendAsync(frame);
        socket.Shutdown(SocketShutdown.Send);

        Assert.Equal(frame, await socket.ReceiveToEndAsync().WithTimeout());
    }

    private static byte[] Encode(FrameSpec spec, byte[] payload)
    {
        var writer = new ArrayBufferWriter<byte>();
        spec.CreateEncoder().Encode(new ReadOnlySequence<byte>(payload), writer);
        return writer.WrittenSpan.ToArray();
    }

    [Fact]
    public async Task IPv6LoopbackClientsAreServedByADualStackServer()
    {
        if (!Socket.OSSupportsIPv6)
        {
            Assert.Fail("IPv6 is not available on this machine, and the product promises dual-stack listening");
        }

        await using var server = new SocketServer(new SocketServerOptions(), new EchoService(FrameSpec.Line));
        server.Start();
        await using var connection = await SocketConnector.ConnectAsync("::1", server.Port()).WithTimeout();
        var writer = new FrameWriter(connection.Output, FrameSpec.Line.CreateEncoder());
        var reader = new FrameReader(connection.Input, FrameSpec.Line.CreateDecoder());
        await writer.WriteAsync("over v6"u8.ToArray());
        Assert.True(await reader.ReadFrameAsync().AsTask().WithTimeout());
        Assert.Equal("over v6"u8.ToArray(), reader.Current.ToArray());

        using var v4 = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await v4.ConnectAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, server.Port())).WithTimeout();
        await v4.SendAsync("over v4\n"u8.ToArray());
        Assert.Equal("over v4\n"u8.ToArray(), await v4.ReceiveExactlyAsync(8));
    }

    internal static async Task<CloseReason> WaitForReasonsAsync(RecordingHandler recording, CloseReasonKind kind)
    {
        var deadline = DateTime.UtcNow + Loopback.Timeout;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var connection in recording.Connections)
            {
                if (connection.Closed.IsCompleted && connection.CloseReason?.Kind == kind)
                {
                    return connection.CloseReason;
                }
            }

            // Wait for a close, but look again within 50 ms regardless: a connection that closed between the check
            // above and this line is no longer pending, and the others (a client still open) may never close.
            var pending = recording.Connections.Select(c => c.Closed).Where(t => !t.IsCompleted).Append(Task.Delay(50));
            await Task.WhenAny(pending);
        }

        var seen = string.Join(", ", recording.Connections.Select(c => c.CloseReason?.ToString() ?? "open"));
        throw new TimeoutException($"no connection closed with {kind}; saw: {seen}");
    }
}
