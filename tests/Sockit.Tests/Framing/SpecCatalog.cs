using Sockit.Framing;

namespace Sockit.Tests.Framing;

/// <summary>The frame specs every property runs against: each kind, width, byte order and delimiter shape.</summary>
public static class SpecCatalog
{
    /// <summary>Delimiters of 1, 2 and 3 bytes, with and without self-overlap (<c>\0\0</c>, <c>aba</c>).</summary>
    public static readonly string[] Delimited =
    [
        "line", @"delim:\0", "delim:|", @"delim:\r\n", @"delim:\0\0", "delim:aba", @"delim:\r\n\r", "delim:0x7E7D",
    ];

    public static readonly string[] LengthPrefixed =
    [
        "length", "length:u8", "length:u16", "length:u16le", "length:u32le", "length:u64", "length:u64le", "varint",
    ];

    public static readonly string[] Fixed = ["fixed:1", "fixed:3", "fixed:16"];

    /// <summary>Every framed spec (all but raw).</summary>
    public static IEnumerable<string> Framed => Delimited.Concat(LengthPrefixed).Concat(Fixed);

    /// <summary>Every framed spec, as xUnit theory data.</summary>
    public static TheoryData<string> FramedData => new(Framed);

    /// <summary>
    /// Whether <paramref name="spec"/> can carry <paramref name="payload"/> so that it arrives intact, decided
    /// from first principles rather than by asking the encoder: the first delimiter in payload+delimiter must
    /// be the appended one (a line that ends in <c>\r</c> is sent with <c>\r\n</c>), a length must fit its header, a fixed frame must
    /// have the exact size.
    /// </summary>
    public static bool Carries(FrameSpec spec, byte[] payload) => spec.Kind switch
    {
        FrameKind.Line or FrameKind.Delimiter =>
            FirstIndexOf([.. payload, .. spec.Delimiter], spec.Delimiter.ToArray()) == payload.Length,
        FrameKind.LengthPrefix => spec.LengthWidth == 8 || payload.LongLength < 1L << (8 * spec.LengthWidth),
        FrameKind.Fixed => payload.Length == spec.FixedSize,
        _ => true,
    };

    // A naive search, deliberately independent of the span helpers the library uses.
    private static int FirstIndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Length; i++)
        {
            var j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j])
            {
                j++;
            }

            if (j == needle.Length)
            {
                return i;
            }
        }

        return -1;
    }
}
