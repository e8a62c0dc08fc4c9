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

    [Fact]
    public void DelimiterNewlineKeepsTheCarriageReturnThatLineDrops()
    {
        var outcome = ContractFeeder.Run(FrameSpec.Parse(@"delim:\n"), Encoding.ASCII.GetBytes("a\r\n"), [1]);

        Assert.Equal("a\r", Encoding.ASCII.GetString(Assert.Single(outcome.Frames)));
    }
}
