using System.Text;
using Sockit.Framing;
using Sockit.Udp;

namespace Sockit.Tests.Udp;

public sealed class DatagramFramerTests
{
    private static List<string> Split(DatagramFramer framer, string datagram) => Split(framer, Encoding.UTF8.GetBytes(datagram));

    private static List<string> Split(DatagramFramer framer, byte[] datagram)
    {
        var messages = new List<string>();
        foreach (var message in framer.Split(datagram))
        {
            messages.Add(Encoding.UTF8.GetString(message.Span));
        }

        return messages;
    }

    [Fact]
    public void RawKeepsEachDatagramWholeEvenWithNewlines()
    {
        var framer = new DatagramFramer(FrameSpec.Raw);

        Assert.Equal(["a\nb\n"], Split(framer, "a\nb\n"));
    }

    [Fact]
    public void RawYieldsAnEmptyDatagramAsAnEmptyMessage()
    {
        var framer = new DatagramFramer(FrameSpec.Raw);

        Assert.Equal([""], Split(framer, ""));
    }

    [Theory]
    [InlineData("one\ntwo\n", new[] { "one", "two" })]
    [InlineData("one\r\ntwo", new[] { "one", "two" })]
    [InlineData("single", new[] { "single" })]
    [InlineData("\n\n", new[] { "", "" })]
    [InlineData("", new string[0])]
    public void LineSplitsADatagramAndItsEndEndsTheLastLine(string datagram, string[] expected)
    {
        var framer = new DatagramFramer(FrameSpec.Line);

        Assert.Equal(expected, Split(framer, datagram));
        Assert.Null(framer.LastError);
    }

    [Fact]
    public void NoLineSpansTwoDatagrams()
    {
        var framer = new DatagramFramer(FrameSpec.Line);

        var first = Split(framer, "hal");
        var second = Split(framer, "f\nwhole\n");

        Assert.Equal(["hal"], first);
        Assert.Equal(["f", "whole"], second);
    }

    [Fact]
    public void LengthFramesPackedInOneDatagramAreRead()
    {
        var framer = new DatagramFramer(FrameSpec.Length);
        byte[] datagram = [0, 0, 0, 2, (byte)'h', (byte)'i', 0, 0, 0, 0, 0, 0, 0, 3, (byte)'y', (byte)'o', (byte)'u'];

        Assert.Equal(["hi", "", "you"], Split(framer, datagram));
        Assert.Null(framer.LastError);
    }

    [Fact]
    public void AFrameCutByTheDatagramEndIsReportedAndTheNextDatagramStartsAfresh()
    {
        var framer = new DatagramFramer(FrameSpec.Length);

        var cut = Split(framer, [0, 0, 0, 1, (byte)'a', 0, 0, 0, 9, (byte)'b']);
        var error = framer.LastError;
        var next = Split(framer, [0, 0, 0, 2, (byte)'o', (byte)'k']);

        Assert.Equal(["a"], cut);
        Assert.Equal(FrameErrorKind.Truncated, error?.Kind);
        Assert.Equal(["ok"], next);
        Assert.Null(framer.LastError);
    }

    [Fact]
    public void AnOversizeLineStopsTheDatagramWithAClearError()
    {
        var framer = new DatagramFramer(FrameSpec.Line, new FramingOptions { MaxFrameSize = 4 });

        var messages = Split(framer, "ok\ntoo long\nlost\n");

        Assert.Equal(["ok"], messages);
        Assert.Equal(FrameErrorKind.Oversize, framer.LastError?.Kind);
        Assert.Equal(["next"], Split(framer, "next"));
    }

    [Fact]
    public void AnOversizeLastLineWithoutDelimiterIsAlsoCaught()
    {
        var framer = new DatagramFramer(FrameSpec.Line, new FramingOptions { MaxFrameSize = 4 });

        Assert.Equal(["ok"], Split(framer, "ok\ntoo long"));
        Assert.Equal(FrameErrorKind.Oversize, framer.LastError?.Kind);
    }

    [Fact]
    public void UnderSkipOversizeLinesAreCountedAndTheRestKept()
    {
        var framer = new DatagramFramer(FrameSpec.Line, new FramingOptions { MaxFrameSize = 4, OnBadFrame = BadFramePolicy.Skip });

        var messages = Split(framer, "ok\ntoo long\nfine\nlast one");

        Assert.Equal(["ok", "fine"], messages);
        Assert.Null(framer.LastError);
        Assert.Equal(2, framer.SkippedFrames);
    }

    [Fact]
    public void DelimitersOfSeveralBytesWork()
    {
        var framer = new DatagramFramer(FrameSpec.Parse("delim:\\r\\n"));

        Assert.Equal(["a", "b\nc", "d"], Split(framer, "a\r\nb\nc\r\nd"));
    }

    [Fact]
    public void MessagesAreSlicesOfTheDatagramNotCopies()
    {
        var framer = new DatagramFramer(FrameSpec.Line);
        var datagram = "ab\ncd"u8.ToArray();

        var slices = new List<ReadOnlyMemory<byte>>();
        foreach (var message in framer.Split(datagram))
        {
            slices.Add(message);
        }

        datagram[0] = (byte)'X';
        Assert.Equal("Xb", Encoding.ASCII.GetString(slices[0].Span));
    }
}
