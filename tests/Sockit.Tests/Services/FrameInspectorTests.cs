using System.Buffers;
using System.Text;
using Sockit.Framing;
using Sockit.Services;

namespace Sockit.Tests.Services;

/// <summary>The forward inspector: exact lines, any split of the stream, bad frames that stop decoding but nothing else.</summary>
public sealed class FrameInspectorTests
{
    private static readonly DateTimeOffset Noon = new(2026, 1, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void LineFramesPrintTimeIdDirectionLengthAndAnEscapedPreview()
    {
        var (inspector, lines) = Create(FrameSpec.Line);

        Feed(inspector, RelayDirection.ClientToTarget, "GET / HTTP/1.0\r\n\tx\\\"\n");
        Feed(inspector, RelayDirection.TargetToClient, "\u0001ok\n");
        inspector.OnEnd(RelayDirection.ClientToTarget, clean: true);
        inspector.OnEnd(RelayDirection.TargetToClient, clean: false);

        Assert.Equal(
            [
                "12:00:00.000000 #7 client>target length=14 \"GET / HTTP/1.0\"",
                "12:00:00.000000 #7 client>target length=4 \"\\tx\\\\\\\"\"",
                "12:00:00.000000 #7 target>client length=3 \"\\x01ok\"",
                "12:00:00.000000 #7 client>target FIN",
                "12:00:00.000000 #7 target>client reset",
            ],
            lines);
    }

    [Fact]
    public void ALongMessageShowsItsFirst64BytesThenDots()
    {
        var (inspector, lines) = Create(FrameSpec.Length);

        Feed(inspector, RelayDirection.ClientToTarget, Length(new string('a', 65)));

        Assert.Equal([$"12:00:00.000000 #7 client>target length=65 \"{new string('a', 64)}\"..."], lines);
    }

    [Fact]
    public void EverySplitOfTheStreamGivesTheSameLines()
    {
        var stream = Length("one") + Length("") + Length("three, longer") + Length(new string('z', 200));
        var (whole, expected) = Create(FrameSpec.Length);
        Feed(whole, RelayDirection.ClientToTarget, stream);
        whole.OnEnd(RelayDirection.ClientToTarget, clean: true);

        var bytes = Encoding.Latin1.GetBytes(stream);
        for (var first = 0; first <= bytes.Length; first++)
        {
            for (var second = first; second <= bytes.Length; second += 7)
            {
                var (split, lines) = Create(FrameSpec.Length);
                split.OnData(RelayDirection.ClientToTarget, 0, new ReadOnlySequence<byte>(bytes, 0, first));
                split.OnData(RelayDirection.ClientToTarget, first, new ReadOnlySequence<byte>(bytes, first, second - first));
                split.OnData(RelayDirection.ClientToTarget, second, new ReadOnlySequence<byte>(bytes, second, bytes.Length - second));
                split.OnEnd(RelayDirection.ClientToTarget, clean: true);
                Assert.Equal(expected, lines);
            }
        }
    }

    [Fact]
    public void AnOversizeFrameIsReportedOnceAndThatDirectionIsNoLongerDecodedButTheOtherIs()
    {
        var (inspector, lines) = Create(FrameSpec.Length, new FramingOptions { MaxFrameSize = 8 });

        Feed(inspector, RelayDirection.ClientToTarget, Length("ok") + Length("much too long") + Length("later"));
        Feed(inspector, RelayDirection.ClientToTarget, Length("still ignored"));
        Feed(inspector, RelayDirection.TargetToClient, Length("back"));
        inspector.OnEnd(RelayDirection.ClientToTarget, clean: true);

        Assert.Equal(4, lines.Count);
        Assert.Equal("12:00:00.000000 #7 client>target length=2 \"ok\"", lines[0]);
        Assert.StartsWith("12:00:00.000000 #7 client>target bad frame: ", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("; relayed unchanged, no longer decoded", lines[1], StringComparison.Ordinal);
        Assert.Equal("12:00:00.000000 #7 target>client length=4 \"back\"", lines[2]);
        Assert.Equal("12:00:00.000000 #7 client>target FIN", lines[3]);
    }

    [Fact]
    public void AStreamThatEndsInsideAFrameIsReportedAsTruncated()
    {
        var (inspector, lines) = Create(FrameSpec.Line);

        Feed(inspector, RelayDirection.TargetToClient, "done\npart");
        inspector.OnEnd(RelayDirection.TargetToClient, clean: true);

        Assert.Equal(
            [
                "12:00:00.000000 #7 target>client length=4 \"done\"",
                "12:00:00.000000 #7 target>client bad frame: the stream ended inside a line frame: 4 byte(s) left over; relayed unchanged, no longer decoded",
                "12:00:00.000000 #7 target>client FIN",
            ],
            lines);
    }

    private static (FrameInspector Inspector, List<string> Lines) Create(FrameSpec spec, FramingOptions? framing = null)
    {
        var lines = new List<string>();
        return (new FrameInspector(7, spec, framing, lines.Add, new FixedTime(Noon)), lines);
    }

    private static void Feed(FrameInspector inspector, RelayDirection direction, string latin1) =>
        inspector.OnData(direction, 0, new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(latin1)));

    private static string Length(string payload) =>
        Encoding.Latin1.GetString([(byte)(payload.Length >> 24), (byte)(payload.Length >> 16), (byte)(payload.Length >> 8), (byte)payload.Length]) + payload;

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
