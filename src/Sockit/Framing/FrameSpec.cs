using System.Globalization;
using System.Text;

namespace Sockit.Framing;

/// <summary>
/// A framing, parsed once from the text that the CLI and the library share: <c>raw</c>, <c>line</c>,
/// <c>delim:SEQ</c>, <c>length</c>, <c>length:u8|u16|u32|u64[be|le]</c>, <c>varint</c>, <c>fixed:N</c>.
/// Immutable and thread-safe; it makes a fresh decoder per stream and encoders that can be shared.
/// </summary>
public sealed class FrameSpec : IEquatable<FrameSpec>
{
    /// <summary>What <see cref="Parse"/> accepts, for error messages and help text.</summary>
    public const string Accepted = "raw, line, delim:SEQ (e.g. delim:\\0, delim:\\r\\n, delim:0x7E), length (= length:u32be), length:u8|u16|u32|u64 with be|le, varint, fixed:N";

    private readonly byte[] _delimiter;

    private FrameSpec(FrameKind kind, byte[]? delimiter = null, int lengthWidth = 0, bool littleEndian = false, int fixedSize = 0)
    {
        Kind = kind;
        _delimiter = delimiter ?? [];
        LengthWidth = lengthWidth;
        LittleEndian = littleEndian;
        FixedSize = fixedSize;
    }

    /// <summary>No framing: bytes as they arrive.</summary>
    public static FrameSpec Raw { get; } = new(FrameKind.Raw);

    /// <summary>Lines ending in <c>\n</c> (a <c>\r</c> before it is dropped; a line that ends in <c>\r</c> is sent with <c>\r\n</c>).</summary>
    public static FrameSpec Line { get; } = new(FrameKind.Line, [(byte)'\n']);

    /// <summary>A 4-byte big-endian length, then the payload (Python's <c>struct.pack('!I', n)</c>).</summary>
    public static FrameSpec Length { get; } = new(FrameKind.LengthPrefix, lengthWidth: 4);

    /// <summary>An unsigned LEB128 length, then the payload.</summary>
    public static FrameSpec Varint { get; } = new(FrameKind.Varint);

    /// <summary>What this spec is.</summary>
    public FrameKind Kind { get; }

    /// <summary>The delimiter bytes for <see cref="FrameKind.Line"/> and <see cref="FrameKind.Delimiter"/>; empty otherwise.</summary>
    public ReadOnlySpan<byte> Delimiter => _delimiter;

    /// <summary>The length header's width in bytes (1, 2, 4 or 8) for <see cref="FrameKind.LengthPrefix"/>.</summary>
    public int LengthWidth { get; }

    /// <summary>Whether the length header is little-endian (the default is network order, big-endian).</summary>
    public bool LittleEndian { get; }

    /// <summary>The frame size for <see cref="FrameKind.Fixed"/>.</summary>
    public int FixedSize { get; }

    /// <summary>Frames that end at <paramref name="delimiter"/> (at least one byte).</summary>
    public static FrameSpec Delimited(ReadOnlySpan<byte> delimiter) =>
        delimiter.IsEmpty
            ? throw new ArgumentException("a delimiter needs at least one byte", nameof(delimiter))
            : new FrameSpec(FrameKind.Delimiter, delimiter.ToArray());

    /// <summary>A length header of <paramref name="width"/> bytes (1, 2, 4 or 8).</summary>
    public static FrameSpec LengthPrefixed(int width, bool littleEndian = false) =>
        width is 1 or 2 or 4 or 8
            ? new FrameSpec(FrameKind.LengthPrefix, lengthWidth: width, littleEndian: littleEndian && width > 1)
            : throw new ArgumentOutOfRangeException(nameof(width), width, "a length header is 1, 2, 4 or 8 bytes wide");

    /// <summary>Frames of exactly <paramref name="size"/> bytes (at least 1).</summary>
    public static FrameSpec Fixed(int size) =>
        size >= 1
            ? new FrameSpec(FrameKind.Fixed, fixedSize: size)
            : throw new ArgumentOutOfRangeException(nameof(size), size, "a fixed frame is at least 1 byte");

    /// <summary>Parses a spec; throws a <see cref="FormatException"/> naming the bad part and what is accepted.</summary>
    public static FrameSpec Parse(string text) =>
        TryParse(text, out var spec, out var error) ? spec : throw new FormatException(error);

    /// <summary>Parses a spec without throwing; <paramref name="error"/> names the bad part.</summary>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out FrameSpec? spec, out string error)
    {
        spec = null;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"an empty frame spec; accepted: {Accepted}";
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var kind = (colon < 0 ? text : text[..colon]).Trim().ToLowerInvariant();
        var argument = colon < 0 ? null : text[(colon + 1)..];
        string? problem = null;
        switch (kind)
        {
            case "raw" when argument is null: spec = Raw; break;
            case "line" when argument is null: spec = Line; break;
            case "varint" when argument is null: spec = Varint; break;
            case "length" when argument is null: spec = Length; break;
            case "length": spec = ParseLength(argument, out problem); break;
            case "delim": spec = ParseDelimiter(argument!, out problem); break;
            case "fixed": spec = ParseFixed(argument, out problem); break;
            case "raw" or "line" or "varint": problem = $"'{kind}' takes no argument"; break;
            default: problem = $"unknown framing '{kind}'"; break;
        }

        if (spec is null)
        {
            error = $"'{text}' is not a frame spec: {problem}; accepted: {Accepted}";
            return false;
        }

        return true;
    }

    /// <summary>A new decoder for one stream (decoders keep per-stream state).</summary>
    /// <param name="options">Limit and bad-frame policy; <see cref="FramingOptions.Default"/> when null.</param>
    public FrameDecoder CreateDecoder(FramingOptions? options = null)
    {
        options ??= FramingOptions.Default;
        return Kind switch
        {
            FrameKind.Raw => new RawDecoder(this, options),
            FrameKind.Line or FrameKind.Delimiter => new DelimiterDecoder(this, options),
            FrameKind.LengthPrefix => new LengthPrefixDecoder(this, options),
            FrameKind.Varint => new VarintDecoder(this, options),
            _ => new FixedDecoder(this, options),
        };
    }

    /// <summary>An encoder for this framing; encoders are stateless and may be shared.</summary>
    public FrameEncoder CreateEncoder() => Kind switch
    {
        FrameKind.Raw => new RawEncoder(this),
        FrameKind.Line or FrameKind.Delimiter => new DelimiterEncoder(this),
        FrameKind.LengthPrefix => new LengthPrefixEncoder(this),
        FrameKind.Varint => new VarintEncoder(this),
        _ => new FixedEncoder(this),
    };

    /// <summary>The canonical spec text, which <see cref="Parse"/> reads back to an equal spec.</summary>
    public override string ToString() => Kind switch
    {
        FrameKind.Raw => "raw",
        FrameKind.Line => "line",
        FrameKind.Delimiter => "delim:" + Escape(_delimiter),
        FrameKind.LengthPrefix => $"length:u{LengthWidth * 8}{(LengthWidth == 1 ? "" : LittleEndian ? "le" : "be")}",
        FrameKind.Varint => "varint",
        _ => $"fixed:{FixedSize}",
    };

    /// <inheritdoc />
    public bool Equals(FrameSpec? other) => other is not null && ToString() == other.ToString();

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as FrameSpec);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    private static FrameSpec? ParseLength(string? argument, out string? problem)
    {
        problem = null;
        var a = argument!.Trim().ToLowerInvariant();
        var littleEndian = a.EndsWith("le", StringComparison.Ordinal);
        var width = (littleEndian || a.EndsWith("be", StringComparison.Ordinal) ? a[..^2] : a) switch
        {
            "u8" => 1,
            "u16" => 2,
            "u32" => 4,
            "u64" => 8,
            _ => 0,
        };
        if (width == 0)
        {
            problem = $"unknown length header '{argument}' (use u8, u16, u32 or u64, optionally followed by be or le)";
            return null;
        }

        return LengthPrefixed(width, littleEndian);
    }

    private static FrameSpec? ParseFixed(string? argument, out string? problem)
    {
        problem = null;
        if (!int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size < 1)
        {
            problem = $"'{argument}' is not a frame size (a whole number of bytes from 1 to {int.MaxValue})";
            return null;
        }

        return Fixed(size);
    }

    private static FrameSpec? ParseDelimiter(string argument, out string? problem)
    {
        problem = null;
        if (argument.Length == 0)
        {
            problem = "the delimiter is empty";
            return null;
        }

        // 0x7E, 0x0d0a: the whole argument as hex bytes.
        if (argument.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            var hex = argument[2..];
            if (hex.Length == 0 || hex.Length % 2 != 0 || !hex.All(char.IsAsciiHexDigit))
            {
                problem = $"'{argument}' is not an even number of hex digits after 0x";
                return null;
            }

            return Delimited(Convert.FromHexString(hex));
        }

        var bytes = new List<byte>();
        for (var i = 0; i < argument.Length; i++)
        {
            var c = argument[i];
            if (c != '\\')
            {
                var end = char.IsHighSurrogate(c) && i + 1 < argument.Length ? i + 2 : i + 1;
                bytes.AddRange(Encoding.UTF8.GetBytes(argument[i..end]));
                i = end - 1;
                continue;
            }

            if (++i == argument.Length)
            {
                problem = "the delimiter ends with a lone '\\'";
                return null;
            }

            switch (argument[i])
            {
                case '0': bytes.Add(0); break;
                case 'r': bytes.Add((byte)'\r'); break;
                case 'n': bytes.Add((byte)'\n'); break;
                case 't': bytes.Add((byte)'\t'); break;
                case '\\': bytes.Add((byte)'\\'); break;
                case 'x':
                    var digits = argument.AsSpan(i + 1, Math.Min(2, argument.Length - i - 1));
                    if (digits.Length < 2 || !byte.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
                    {
                        problem = $"the escape '\\x{digits}' needs two hex digits (\\x00 to \\xff)";
                        return null;
                    }

                    bytes.Add(b);
                    i += 2;
                    break;
                default:
                    problem = $"unknown escape '\\{argument[i]}' in the delimiter (use \\0 \\r \\n \\t \\\\ \\xHH or 0xHEX)";
                    return null;
            }
        }

        return Delimited(bytes.ToArray());
    }

    private static string Escape(byte[] delimiter)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < delimiter.Length; i++)
        {
            var b = delimiter[i];

            // A leading "0x" would read back as hex digits: write that 0 as an escape.
            var hexLookalike = i == 0 && b == (byte)'0' && delimiter.Length > 1 && (delimiter[1] | 0x20) == (byte)'x';
            sb.Append(b switch
            {
                _ when hexLookalike => "\\x30",
                0 => "\\0",
                (byte)'\r' => "\\r",
                (byte)'\n' => "\\n",
                (byte)'\t' => "\\t",
                (byte)'\\' => "\\\\",
                >= 0x21 and < 0x7F => ((char)b).ToString(),
                _ => $"\\x{b:x2}",
            });
        }

        return sb.ToString();
    }
}
