using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Sockit.Addressing;

/// <summary>
/// Bytes as people paste them into <c>ip ntoa</c>/<c>ip ntop</c>: hex digits (<c>c0a80102</c>, <c>0xc0a80102</c>,
/// <c>c0:a8:01:02</c>) or a Python bytes literal (<c>b'\xc0\xa8\x01\x02'</c>, <c>b'\x7f\x00\x00\x01'</c>,
/// <c>b'\n\x00\x00A'</c>), which is what <c>socket.inet_aton</c> prints.
/// </summary>
public static class ByteText
{
    /// <summary>Parses hex or a Python bytes literal.</summary>
    /// <exception cref="FormatException">Neither form; the message names the value and the reason.</exception>
    public static byte[] Parse(string text) =>
        TryParse(text, out var bytes, out var error) ? bytes : throw new FormatException(error);

    /// <summary>Parses hex or a Python bytes literal without throwing.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out byte[]? bytes, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reason = text.Length >= 3 && text[0] is 'b' or 'B' && text[1] is '\'' or '"'
            ? ParseBytesLiteral(text, out bytes)
            : ParseHex(text, out bytes);
        error = reason is null ? null : $"'{text}' is not bytes: {reason}";
        return reason is null;
    }

    /// <summary>Lower-case hex without separators: <c>c0a80102</c>.</summary>
    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>The Python <c>repr</c> of <paramref name="bytes"/>: <c>b'\x7f\x00\x00\x01'</c>.</summary>
    public static string ToPythonLiteral(ReadOnlySpan<byte> bytes)
    {
        var text = new System.Text.StringBuilder("b'");
        foreach (var b in bytes)
        {
            text.Append(b switch
            {
                (byte)'\t' => "\\t",
                (byte)'\n' => "\\n",
                (byte)'\r' => "\\r",
                (byte)'\\' => "\\\\",
                (byte)'\'' => "\\'",
                >= 0x20 and < 0x7f => ((char)b).ToString(),
                _ => string.Create(CultureInfo.InvariantCulture, $"\\x{b:x2}"),
            });
        }

        return text.Append('\'').ToString();
    }

    private static string? ParseHex(string text, out byte[]? bytes)
    {
        bytes = null;
        var hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        hex = hex.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (hex.Length == 0)
        {
            return "it is empty";
        }

        if (hex.AsSpan().ContainsAnyExcept(HexDigits.Values))
        {
            return "expected hex digits (like c0a80102) or a Python bytes literal (like b'\\xc0\\xa8\\x01\\x02')";
        }

        if (hex.Length % 2 != 0)
        {
            return $"an odd number of hex digits ({hex.Length})";
        }

        bytes = Convert.FromHexString(hex);
        return null;
    }

    private static string? ParseBytesLiteral(string text, out byte[]? bytes)
    {
        bytes = null;
        var quote = text[1];
        if (text[^1] != quote || text.Length < 3)
        {
            return "the bytes literal is not closed";
        }

        var result = new List<byte>();
        var body = text.AsSpan(2, text.Length - 3);
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == quote || c > '\x7e' || c < ' ')
            {
                return c == quote ? "a quote inside the literal must be escaped" : $"{InetPton.Describe(c)} in a bytes literal (only ASCII)";
            }

            if (c != '\\')
            {
                result.Add((byte)c);
                continue;
            }

            if (++i == body.Length)
            {
                return "a lone '\\' at the end";
            }

            switch (body[i])
            {
                case 'x':
                    if (body.Length - i - 1 < 2
                        || !byte.TryParse(body.Slice(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
                    {
                        return "'\\x' needs two hex digits";
                    }

                    result.Add(b);
                    i += 2;
                    break;
                case var e when Escape(e) is { } escaped:
                    result.Add(escaped);
                    break;
                default:
                    return $"unknown escape '\\{body[i]}' (use \\xNN)";
            }
        }

        bytes = [.. result];
        return null;
    }

    private static byte? Escape(char c) => c switch
    {
        'n' => (byte)'\n',
        'r' => (byte)'\r',
        't' => (byte)'\t',
        '0' => 0,
        '\\' => (byte)'\\',
        '\'' => (byte)'\'',
        '"' => (byte)'"',
        _ => null,
    };
}
