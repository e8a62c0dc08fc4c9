using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Sockit.Framing;
using Sockit.Udp;

namespace Sockit.Tests.Udp;

public sealed class UdpClientSessionTests
{
    [Fact]
    public async Task EachInputLineIsOneDatagramAndEveryReplyIsHandedOn()
    {
        await using var server = new RunningUdpServer(new UdpEchoService());
        var endpoint = server.Endpoint;
        var replies = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource(UdpTestKit.Timeout);
        // A long wait for late replies, cut short once all four came back and the session saw the input end (the last
        // reply can come back before that: "last" is only known to be a line at the end of the input). Each side
        // records its own event before checking the other's, so one of them sees both.
        RecordingUdpObserver observer = null!;
        observer = new RecordingUdpObserver { AfterInputEnded = StopWhenAllIn };
        using var session = UdpClientSession.Open(new UdpClientOptions { Remote = endpoint.LocalEndPoint }, observer);
        using var input = new MemoryStream("one\r\ntwo\n\nlast"u8.ToArray());

        await session.RunAsync(input, FrameSpec.Line, FramingOptions.Default, UdpTestKit.Timeout, (peer, reply) =>
        {
            Assert.Equal(endpoint.LocalEndPoint, peer.EndPoint);
            replies.Enqueue(Encoding.UTF8.GetString(reply.Span));
            StopWhenAllIn();
        }, stop.Token);

        Assert.True(session.IsConnected);
        Assert.Equal(["one", "two", "", "last"], replies);
        Assert.Contains("input ended", observer.Events);

        void StopWhenAllIn()
        {
            if (replies.Count == 4 && observer.Events.Contains("input ended"))
            {
                stop.Cancel();
            }
        }
    }

    [Fact]
    public async Task LengthFramedInputSendsOneDatagramPerFrame()
    {
        using var endpoint = UdpTestKit.BindLoopback();
        using var session = UdpClientSession.Open(new UdpClientOptions { Remote = endpoint.LocalEndPoint });
        using var input = new MemoryStream([0, 0, 0, 2, (byte)'h', (byte)'i', 0, 0, 0, 3, (byte)'y', (byte)'o', (byte)'u']);

        await session.RunAsync(input, FrameSpec.Parse("length"), FramingOptions.Default, TimeSpan.Zero, (_, _) => { });
        var first = await UdpTestKit.ReceiveAsync(endpoint);
        var second = await UdpTestKit.ReceiveAsync(endpoint);

        Assert.Equal("hi", Encoding.UTF8.GetString(first.Payload));
        Assert.Equal("you", Encoding.UTF8.GetString(second.Payload));
    }

    [Fact]
    public async Task ASessionToADeadPortStopsWithRefusedWhenTheIcmpPortUnreachableComesBack()
    {
        var dead = new IPEndPoint(IPAddress.Loopback, UdpTestKit.DeadPort());
        var observer = new RecordingUdpObserver();
        using var session = UdpClientSession.Open(new UdpClientOptions { Remote = dead }, observer);
        using var stop = new CancellationTokenSource(UdpTestKit.Timeout);
        using var input = new MemoryStream("anyone?\n"u8.ToArray());

        // The wait for late replies is the whole test timeout: only the ICMP error can end the run early.
        var error = await Assert.ThrowsAsync<Sockit.Connections.ConnectionException>(() =>
            session.RunAsync(input, FrameSpec.Line, FramingOptions.Default, UdpTestKit.Timeout, (_, _) => { }, stop.Token));

        Assert.False(stop.IsCancellationRequested, "the run lasted the whole timeout");
        Assert.Equal(Sockit.Connections.ConnectionErrorKind.Refused, error.Kind);
        Assert.Contains("port unreachable", error.Message, StringComparison.Ordinal);
        Assert.Equal(dead, await observer.PortUnreachable.Task);
    }
}
