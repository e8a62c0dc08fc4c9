using System.Buffers;

namespace Sockit.Framing;

/// <summary>
/// <c>line</c> and <c>delim:SEQ</c>: the payload, then the delimiter. A payload the decoder could not give back
/// intact is refused: one containing the delimiter, one whose last bytes run into the appended delimiter to
/// form an earlier one (<c>\0</c> before <c>delim:\0\0</c>), and for <c>line</c> one ending in <c>\r</c>.
/// </summary>
internal sealed class DelimiterEncoder : FrameEncoder
{
    private readonly byte[] _delimiter;

    // Each k such that the delimiter's first k bytes, at the payload's end, followed by the delimiter's
    // first (length - k) bytes spell the whole delimiter: the delimiter overlaps itself when shifted by k.
    private readonly int[] _overlaps;

    public DelimiterEncoder(FrameSpec spec)
        : base(spec)
    {
        _delimiter = spec.Delimiter.ToArray();
        var delimiter = _delimiter;
        _overlaps = [.. Enumerable.Range(1, delimiter.Length - 1)
            .Where(k => delimiter.AsSpan(k).SequenceEqual(delimiter.AsSpan(0, delimiter.Length - k)))];
    }

    // Line framing drops one \r before the \n, so a line that ends in \r is sent with \r\n: "ab\r" + "\r\n" arrives
    // as "ab\r". Every payload without a \n then round-trips.
    private protected override ReadOnlySpan<byte> Trailer(int lastByte) =>
        Spec.Kind == FrameKind.Line && lastByte == '\r' ? "\r\n"u8 : _delimiter;

    private protected override void Validate(ReadOnlySpan<byte> payload)
    {
        if (payload.IndexOf(_delimiter) >= 0)
        {
            throw Contains();
        }

        CheckEnd(payload[Math.Max(0, payload.Length - _delimiter.Length)..]);
    }

    private protected override void Validate(in ReadOnlySequence<byte> payload)
    {
        var reader = new SequenceReader<byte>(payload);
        if (reader.TryReadTo(out ReadOnlySequence<byte> _, _delimiter, advancePastDelimiter: false))
        {
            throw Contains();
        }

        // Only the last bytes can run into the trailer; a delimiter is short.
        var end = payload.Slice(Math.Max(0, payload.Length - _delimiter.Length));
        Span<byte> copy = end.Length <= 256 ? stackalloc byte[(int)end.Length] : new byte[end.Length];
        end.CopyTo(copy);
        CheckEnd(copy);
    }

    /// <summary>Refuses a payload whose <paramref name="end"/> would merge with the trailer.</summary>
    private void CheckEnd(ReadOnlySpan<byte> end)
    {
        foreach (var k in _overlaps)
        {
            if (end.EndsWith(_delimiter.AsSpan(0, k)))
            {
                throw RunsIntoDelimiter();
            }
        }
    }

    private ArgumentException RunsIntoDelimiter() =>
        new($"the payload ends with bytes that, followed by the delimiter of {Spec} framing, form the delimiter early, so it would arrive cut short");

    private ArgumentException Contains() =>
        new($"the payload contains the delimiter of {Spec} framing, so it would arrive as more than one frame");
}
