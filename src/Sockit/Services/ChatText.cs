using System.Buffers;

namespace Sockit.Services;

/// <summary>
/// Makes a chat line safe to show on someone else's terminal: control characters become visible <c>\xHH</c>
/// (lowercase hex of the code point), so a line cannot forge a name with <c>\r</c> or drive a terminal with escape
/// sequences. Escaped: C0 controls except tab (U+0000–U+0008, U+000A–U+001F), DEL (U+007F) and the C1 controls
/// (U+0080–U+009F, UTF-8 <c>C2 80</c>–<c>C2 9F</c>); and the bidirectional overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069) as <c>\uHHHH</c>, which would otherwise let a line display reversed ("Trojan Source", CVE-2021-42574).
/// Every other byte, valid UTF-8 or not, passes unchanged; a backslash is not doubled. Pure.
/// </summary>
internal static class ChatText
{
    private static readonly SearchValues<byte> NeedsLook = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
         0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F, 0x7F, 0xC2, 0xE2]);

    /// <summary>Writes <paramref name="text"/> to <paramref name="output"/> with its control characters escaped.</summary>
    public static void EscapeControls(ReadOnlySpan<byte> text, IBufferWriter<byte> output)
    {
        while (true)
        {
            var i = text.IndexOfAny(NeedsLook);
            if (i < 0)
            {
                output.Write(text);
                return;
            }

            output.Write(text[..i]);
            if (text[i] == 0xE2)
            {
                // E2 80 AA–AE is U+202A–U+202E; E2 81 A6–A9 is U+2066–U+2069.
                if (text.Length > i + 2 && ((text[i + 1] == 0x80 && text[i + 2] is >= 0xAA and <= 0xAE) || (text[i + 1] == 0x81 && text[i + 2] is >= 0xA6 and <= 0xA9)))
                {
                    WriteBidiEscape(((text[i + 1] & 0x3F) << 6) | (text[i + 2] & 0x3F), output);
                    text = text[(i + 3)..];
                }
                else
                {
                    output.Write(text.Slice(i, 1));
                    text = text[(i + 1)..];
                }
            }
            else if (text[i] != 0xC2)
            {
                WriteEscape(text[i], output);
                text = text[(i + 1)..];
            }
            else if (i + 1 < text.Length && text[i + 1] is >= 0x80 and <= 0x9F)
            {
                WriteEscape(text[i + 1], output); // C2 xx encodes U+00xx
                text = text[(i + 2)..];
            }
            else
            {
                output.Write(text.Slice(i, 1)); // the lead byte of a printable character (U+00A0–U+00BF)
                text = text[(i + 1)..];
            }
        }
    }

    // U+2000 plus the low 12 bits, as \u202e.
    private static void WriteBidiEscape(int low, IBufferWriter<byte> output)
    {
        var codePoint = 0x2000 | low;
        var span = output.GetSpan(6);
        span[0] = (byte)'\\';
        span[1] = (byte)'u';
        for (var k = 0; k < 4; k++)
        {
            span[2 + k] = (byte)"0123456789abcdef"[(codePoint >> (12 - (4 * k))) & 0xF];
        }

        output.Advance(6);
    }

    private static void WriteEscape(byte codePoint, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(4);
        span[0] = (byte)'\\';
        span[1] = (byte)'x';
        span[2] = (byte)"0123456789abcdef"[codePoint >> 4];
        span[3] = (byte)"0123456789abcdef"[codePoint & 0xF];
        output.Advance(4);
    }
}
