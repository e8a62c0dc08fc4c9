using System.Buffers;

namespace Sockit.Framing;

/// <summary>
/// Writes payloads as frames into an <see cref="IBufferWriter{T}"/> (a <c>PipeWriter</c>, an
/// <see cref="ArrayBufferWriter{T}"/>…). Stateless and thread-safe; it never flushes. Create one with
/// <see cref="FrameSpec.CreateEncoder"/>.
/// </summary>
/// <remarks>
/// A payload the framing cannot carry (one that contains the delimiter, does not fit the length header, or
/// is not exactly the fixed size) is refused with an <see cref="ArgumentException"/> before anything is written.
/// A <c>line</c> payload that ends in <c>\r</c> is ended with <c>\r\n</c>, since the decoder drops one <c>\r</c>
/// before the <c>\n</c>: every payload without a <c>\n</c> arrives intact.
/// </remarks>
public abstract class FrameEncoder
{
    // Frames up to this size are written with one GetSpan call; larger ones in pieces.
    private const int SingleSpanLimit = 4096;

    private protected FrameEncoder(FrameSpec spec) => Spec = spec;

    /// <summary>The framing this encoder writes.</summary>
    public FrameSpec Spec { get; }

    /// <summary>Writes <paramref name="payload"/> as one frame.</summary>
    public void Encode(ReadOnlySpan<byte> payload, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Validate(payload);
        var header = HeaderLength(payload.Length);
        var trailer = Trailer(payload.IsEmpty ? -1 : payload[^1]);
        var total = header + payload.Length + trailer.Length;
        if (total <= SingleSpanLimit)
        {
            var span = output.GetSpan(total);
            WriteHeader(span, payload.Length);
            payload.CopyTo(span[header..]);
            trailer.CopyTo(span[(header + payload.Length)..]);
            output.Advance(total);
            return;
        }

        WritePieces(payload.Length, output);
        output.Write(payload);
        output.Write(trailer);
    }

    /// <summary>Writes <paramref name="payload"/>, possibly in several segments, as one frame.</summary>
    public void Encode(in ReadOnlySequence<byte> payload, IBufferWriter<byte> output)
    {
        if (payload.IsSingleSegment)
        {
            Encode(payload.FirstSpan, output);
            return;
        }

        ArgumentNullException.ThrowIfNull(output);
        Validate(payload);
        WritePieces(payload.Length, output);
        foreach (var segment in payload)
        {
            output.Write(segment.Span);
        }

        Span<byte> last = stackalloc byte[1];
        payload.Slice(payload.Length - 1).CopyTo(last);
        output.Write(Trailer(last[0]));
    }

    /// <summary>Bytes written before the payload.</summary>
    private protected virtual int HeaderLength(long payloadLength) => 0;

    /// <summary>Writes the header into <paramref name="destination"/>, which holds at least <see cref="HeaderLength"/> bytes.</summary>
    private protected virtual void WriteHeader(Span<byte> destination, long payloadLength)
    {
    }

    /// <summary>Bytes written after the payload, whose last byte is <paramref name="lastByte"/> (-1: empty payload).</summary>
    private protected virtual ReadOnlySpan<byte> Trailer(int lastByte) => default;

    /// <summary>Throws <see cref="ArgumentException"/> when the framing cannot carry the payload.</summary>
    private protected virtual void Validate(ReadOnlySpan<byte> payload)
    {
    }

    /// <inheritdoc cref="Validate(ReadOnlySpan{byte})"/>
    private protected virtual void Validate(in ReadOnlySequence<byte> payload)
    {
    }

    private void WritePieces(long payloadLength, IBufferWriter<byte> output)
    {
        var header = HeaderLength(payloadLength);
        if (header > 0)
        {
            WriteHeader(output.GetSpan(header), payloadLength);
            output.Advance(header);
        }
    }
}
