using System.Buffers;
using System.Text;
using Sockit.Services;

namespace Sockit.Tests.Connections;

/// <summary><c>connect --crlf</c> on raw input: bare LF becomes CRLF, for any split of the input into reads.</summary>
public sealed class CrlfTranslatorTests
{
    [Theory]
    [InlineData("HELO x\nQUIT\n", "HELO x\r\nQUIT\r\n")]
    [InlineData("a\r\nb\n", "a\r\nb\r\n")]          // a CRLF already there is not doubled
    [InlineData("\n\n", "\r\n\r\n")]
    [InlineData("\r\r\n", "\r\r\n")]
    [InlineData("no line end", "no line end")]      // nothing is added at the end
    [InlineData("", "")]
    public void BareLineFeedsBecomeCrlfWhereverTheInputIsSplit(string input, string expected)
    {
        var bytes = Encoding.ASCII.GetBytes(input);
        for (var split = 0; split <= bytes.Length; split++)
        {
            var translator = new CrlfTranslator();
            var output = new ArrayBufferWriter<byte>();

            translator.Translate(new ReadOnlySequence<byte>(bytes, 0, split), output);
            translator.Translate(new ReadOnlySequence<byte>(bytes, split, bytes.Length - split), output);

            Assert.Equal(expected, Encoding.ASCII.GetString(output.WrittenSpan));
        }
    }

    [Fact]
    public void ASequenceOfManySegmentsIsTranslatedAsOne()
    {
        var translator = new CrlfTranslator();
        var output = new ArrayBufferWriter<byte>();

        translator.Translate(Segments("a\r", "\nb", "\n", "c\n"), output);

        Assert.Equal("a\r\nb\r\nc\r\n", Encoding.ASCII.GetString(output.WrittenSpan));
    }

    private static ReadOnlySequence<byte> Segments(params string[] parts)
    {
        var first = new Segment(Encoding.ASCII.GetBytes(parts[0]), 0);
        var last = first;
        foreach (var part in parts.Skip(1))
        {
            last = last.Append(Encoding.ASCII.GetBytes(part));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] data, long runningIndex)
        {
            Memory = data;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] data)
        {
            var next = new Segment(data, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
