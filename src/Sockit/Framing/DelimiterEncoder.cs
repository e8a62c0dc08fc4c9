using System.Buffers;

namespace Sockit.Framing;

/// <summary><c>line</c> and <c>delim:SEQ</c>: the payload, then the delimiter. A payload containing the delimiter is refused.</summary>
internal sealed class DelimiterEncoder(FrameSpec spec) : FrameEncoder(spec)
{
    private readonly byte[] _delimiter = spec.Delimiter.ToArray();

    private protected override ReadOnlySpan<byte> Trailer => _delimiter;

    private protected override void Validate(ReadOnlySpan<byte> payload)
    {
        if (payload.IndexOf(_delimiter) >= 0)
        {
            throw Contains();
        }

        if (Spec.Kind == FrameKind.Line && !payload.IsEmpty && payload[^1] == (byte)'\r')
        {
            throw EndsWithCarriageReturn();
        }
    }

    private protected override void Validate(in ReadOnlySequence<byte> payload)
    {
        var reader = new SequenceReader<byte>(payload);
        if (reader.TryReadTo(out ReadOnlySequence<byte> _, _delimiter, advancePastDelimiter: false))
        {
            throw Contains();
        }

        if (Spec.Kind == FrameKind.Line && !payload.IsEmpty && payload.Slice(payload.Length - 1).FirstSpan[0] == (byte)'\r')
        {
            throw EndsWithCarriageReturn();
        }
    }

    private ArgumentException Contains() =>
        new($"the payload contains the delimiter of {Spec} framing, so it would arrive as more than one frame", "payload");

    // line framing drops a \r before \n, so such a payload could not arrive intact.
    private static ArgumentException EndsWithCarriageReturn() =>
        new("the payload ends with '\\r', which line framing would drop", "payload");
}
