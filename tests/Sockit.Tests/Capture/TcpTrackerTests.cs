using System.Text;
using Sockit.Capture;

namespace Sockit.Tests.Capture;

public class TcpTrackerTests
{
    private const string Client = "127.0.0.1:40000";
    private const string Server = "127.0.0.1:7000";
    private const TcpControlBits Ack = TcpControlBits.Ack;
    private const TcpControlBits Fin = TcpControlBits.Fin | TcpControlBits.Ack;

    [Fact]
    public void AConnectSendCloseBecomesTheCoursesStepsWithSequenceNumbersRelativeToEachIsn()
    {
        const uint c = 1_000_000, s = 3_000_000_000;
        var frames = new[]
        {
            TestFrames.Tcp(Client, Server, c, 0, TcpControlBits.Syn, 65495),
            TestFrames.Tcp(Server, Client, s, c + 1, TcpControlBits.Syn | Ack, 65483),
            TestFrames.Tcp(Client, Server, c + 1, s + 1, Ack),
            TestFrames.Tcp(Client, Server, c + 1, s + 1, TcpControlBits.Psh | Ack, 512, Encoding.ASCII.GetBytes("hello")),
            TestFrames.Tcp(Server, Client, s + 1, c + 6, Ack),
            TestFrames.Tcp(Client, Server, c + 6, s + 1, Fin),
            TestFrames.Tcp(Server, Client, s + 1, c + 7, Ack),
            TestFrames.Tcp(Server, Client, s + 1, c + 7, Fin),
            TestFrames.Tcp(Client, Server, c + 7, s + 2, Ack),
        };

        var lines = Trace(frames);

        Assert.Equal(
            [
                "10:00:00.000000  127.0.0.1:40000       > 127.0.0.1:7000         SYN      seq=0 win=65495 len=0  handshake 1/3: 127.0.0.1:40000 asks to connect (SYN; its ISN is 1000000)",
                "10:00:00.000001  127.0.0.1:7000        > 127.0.0.1:40000        SYN-ACK  seq=0 ack=1 win=65483 len=0  handshake 2/3: 127.0.0.1:7000 agrees and asks back (SYN-ACK; its ISN is 3000000000)",
                "10:00:00.000002  127.0.0.1:40000       > 127.0.0.1:7000         ACK      seq=1 ack=1 win=512 len=0  handshake 3/3: 127.0.0.1:40000 acknowledges; the connection is ESTABLISHED",
                "10:00:00.000003  127.0.0.1:40000       > 127.0.0.1:7000         PSH-ACK  seq=1 ack=1 win=512 len=5",
                "10:00:00.000004  127.0.0.1:7000        > 127.0.0.1:40000        ACK      seq=1 ack=6 win=512 len=0",
                "10:00:00.000005  127.0.0.1:40000       > 127.0.0.1:7000         FIN-ACK  seq=6 ack=1 win=512 len=0  close 1/4: 127.0.0.1:40000 has no more to send (FIN; it calls close() or shutdown())",
                "10:00:00.000006  127.0.0.1:7000        > 127.0.0.1:40000        ACK      seq=1 ack=7 win=512 len=0  close 2/4: 127.0.0.1:7000 acknowledges the FIN; its recv() now returns empty (b'')",
                "10:00:00.000007  127.0.0.1:7000        > 127.0.0.1:40000        FIN-ACK  seq=1 ack=7 win=512 len=0  close 3/4: 127.0.0.1:7000 has no more to send either (FIN)",
                "10:00:00.000008  127.0.0.1:40000       > 127.0.0.1:7000         ACK      seq=7 ack=2 win=512 len=0  close 4/4: 127.0.0.1:40000 acknowledges the last FIN; it waits in TIME_WAIT, the other side is closed",
            ],
            lines);
    }

    [Fact]
    public void AnAckMergedIntoThePassiveSidesFinIsNamedAsBothSteps()
    {
        var lines = Trace(
            TestFrames.Tcp(Client, Server, 100, 0, TcpControlBits.Syn),
            TestFrames.Tcp(Server, Client, 500, 101, TcpControlBits.Syn | Ack),
            TestFrames.Tcp(Client, Server, 101, 501, Ack),
            TestFrames.Tcp(Client, Server, 101, 501, Fin),
            TestFrames.Tcp(Server, Client, 501, 102, Fin),
            TestFrames.Tcp(Client, Server, 102, 502, Ack));

        Assert.EndsWith("close 2+3/4: 127.0.0.1:7000 acknowledges the FIN and sends its own in one segment", lines[4], StringComparison.Ordinal);
        Assert.EndsWith("close 4/4: 127.0.0.1:40000 acknowledges the last FIN; it waits in TIME_WAIT, the other side is closed", lines[5], StringComparison.Ordinal);
    }

    [Fact]
    public void ASegmentOfAConnectionWhoseSynWasNotSeenCountsFromTheFirstNumbersSeen()
    {
        var lines = Trace(
            TestFrames.Tcp(Client, Server, 5000, 9000, TcpControlBits.Psh | Ack, 512, [1, 2, 3]),
            TestFrames.Tcp(Server, Client, 9000, 5003, Ack),
            TestFrames.Tcp(Client, Server, 5003, 9000, TcpControlBits.Rst));

        Assert.Contains("PSH-ACK  seq=0 ack=0 win=512 len=3", lines[0], StringComparison.Ordinal);
        Assert.Contains("ACK      seq=0 ack=3 win=512 len=0", lines[1], StringComparison.Ordinal);
        Assert.Contains("RST      seq=3 win=512 len=0  reset: 127.0.0.1:40000 aborts the connection, or has no socket for it (RST)", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void IPv6EndpointsAreBracketedAndUdpIsNotTraced()
    {
        var tracker = new TcpTracker();
        Assert.True(PacketDecoder.TryDecode(TestFrames.Tcp("[::1]:40000", "[::1]:7000", 1, 0, TcpControlBits.Syn), out var syn));
        Assert.Equal("[::1]:40000", tracker.Track(DateTimeOffset.UnixEpoch, syn!)!.Source);
        Assert.True(PacketDecoder.TryDecode(TestFrames.Udp("127.0.0.1:1", "127.0.0.1:2", [0]), out var udp));
        Assert.Null(tracker.Track(DateTimeOffset.UnixEpoch, udp!));
    }

    private static List<string> Trace(params byte[][] frames)
    {
        var tracker = new TcpTracker();
        var start = new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);
        var lines = new List<string>();
        for (var i = 0; i < frames.Length; i++)
        {
            Assert.True(PacketDecoder.TryDecode(frames[i], out var packet));
            lines.Add(TraceText.Line(tracker.Track(start.AddTicks(i * 10), packet!)!));
        }

        return lines;
    }
}
