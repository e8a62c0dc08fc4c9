using System.Text;
using Sockit.Framing;

namespace Sockit.Tests.Framing;

/// <summary><c>line</c> drops a <c>\r</c> only when it stands right before the <c>\n</c>.</summary>
public sealed class LineTests
{
    [Theory]
    [InlineData("a\rb\n", "a\rb")]
    [InlineData("a\r\r\n", "a\r")]
    [InlineData("\r\n", "")]
    [InlineData("\n", "")]
    [InlineData("\ra\n", "\ra")]
    [InlineData("a\n\r\n", "a|")]
    public void LineStripsCarriageReturnOnlyRightBeforeNewline(string stream, string expected)
    {
        foreach (var split in new[] { 1, 2, int.MaxValue })
        {
            var outcome = ContractFeeder.Run(FrameSpec.Line, Encoding.ASCII.GetBytes(stream), [split]);

            Assert.Equal(expected, string.Join('|', outcome.Frames.Select(Encoding.ASCII.GetString)));
            Assert.Null(outcome.EndOfStream);
        }
    }

    [Theory]
    [InlineData("ab\r", "ab\r\r\n")]
    [InlineData("\r", "\r\r\n")]
    [InlineData("a\r\r", "a\r\r\r\n")]
    [InlineData("ab", "ab\n")]
    public void LineEncoderEndsALineThatEndsInCarriageReturnWithCrLfSoItArrivesIntact(string payload, string wire)
    {
        var bytes = Encoding.ASCII.GetBytes(payload);
        var fromSpan = new System.Buffers.ArrayBufferWriter<byte>();
        var fromSegments = new System.Buffers.ArrayBufferWriter<byte>();

        FrameSpec.Line.CreateEncoder().Encode(bytes, fromSpan);
        FrameSpec.Line.CreateEncoder().Encode(ChunkSegment.Chain(bytes, 1), fromSegments);

        Assert.Equal(wire, Encoding.ASCII.GetString(fromSpan.WrittenSpan));
        Assert.Equal(wire, Encoding.ASCII.GetString(fromSegments.WrittenSpan));
        var outcome = ContractFeeder.Run(FrameSpec.Line, fromSpan.WrittenSpan.ToArray(), [1]);
        Assert.Equal(payload, Encoding.ASCII.GetString(Assert.Single(outcome.Frames)));
    }

    [Fact]
    public void DelimiterNewlineKeepsTheCarriageReturnThatLineDrops()
    {
        var outcome = ContractFeeder.Run(FrameSpec.Parse(@"delim:\n"), Encoding.ASCII.GetBytes("a\r\n"), [1]);

        Assert.Equal("a\r", Encoding.ASCII.GetString(Assert.Single(outcome.Frames)));
    }
}
