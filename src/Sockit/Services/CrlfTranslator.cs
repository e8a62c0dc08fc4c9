using System.Buffers;

namespace Sockit.Services;

/// <summary>
/// <see cref="ConnectionBridgeOptions.SendCrlf"/> for raw input: every <c>\n</c> not already preceded by <c>\r</c> is
/// written as <c>\r\n</c>, whichever way the input was split into reads (a <c>\r</c> at the end of one read and the
/// <c>\n</c> at the start of the next are one CRLF). Pure: bytes in, bytes out; it remembers only whether the last
/// byte seen was a <c>\r</c>. Not thread-safe: one input, one translator.
/// </summary>
internal sealed class CrlfTranslator
{
    private bool _afterCarriageReturn;

    /// <summary>Writes <paramref name="input"/> to <paramref name="output"/> with its bare line feeds made CRLF.</summary>
    public void Translate(in ReadOnlySequence<byte> input, IBufferWriter<byte> output)
    {
        foreach (var segment in input)
        {
            var span = segment.Span;
            while (!span.IsEmpty)
            {
                var newline = span.IndexOf((byte)'\n');
                var text = newline < 0 ? span : span[..newline];
                output.Write(text);
                if (!text.IsEmpty)
                {
                    _afterCarriageReturn = text[^1] == (byte)'\r';
                }

                if (newline < 0)
                {
                    break;
                }

                output.Write(_afterCarriageReturn ? "\n"u8 : "\r\n"u8);
                _afterCarriageReturn = false;
                span = span[(newline + 1)..];
            }
        }
    }
}
