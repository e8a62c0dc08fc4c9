using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Sockit.Addressing;

/// <summary>
/// BSD <c>inet_aton</c>: the lenient IPv4 grammar that <c>ping</c>, <c>getaddrinfo</c> and Python's
/// <c>socket.inet_aton</c> accept. One to four parts separated by dots, each a C integer constant (decimal,
/// <c>0</c>-prefixed octal or <c>0x</c>-prefixed hex); the last part fills all remaining bytes, so
/// <c>127.1</c> is 127.0.0.1, <c>10.1</c> is 10.0.0.1 and <c>3232235778</c> is 192.168.1.2.
/// </summary>
/// <remarks>
/// One deliberate difference from glibc: glibc stops at the first whitespace and ignores what follows
/// (<c>"1.2.3.4 junk"</c> is accepted); Sockit rejects any trailing character, because an address with junk
/// after it is almost always a mistake. The Python agreement test asserts this difference.
/// </remarks>
public static class InetAton
{
    // The largest value the last part may take when it follows 0, 1, 2 or 3 dotted parts.
    private static readonly uint[] _lastPartMax = [0xffffffff, 0xffffff, 0xffff, 0xff];

    /// <summary>Parses <paramref name="text"/> as <c>inet_aton</c> does.</summary>
    /// <exception cref="FormatException">Not an <c>inet_aton</c> address; the message names the value and the reason.</exception>
    public static IPAddress Parse(string text) =>
        TryParse(text, out var value, out var error) ? ToAddress(value) : throw new FormatException(error);

    /// <summary>Parses <paramref name="text"/> without throwing.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The address as a 32-bit number in host order (127.0.0.1 is 0x7f000001).</param>
    /// <param name="error">One line naming the value and why it is not an address, when the result is false.</param>
    public static bool TryParse(string text, out uint value, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reason = Parse(text, out value);
        error = reason is null ? null : $"'{text}' is not an IPv4 address: {reason}";
        return reason is null;
    }

    /// <summary>The <see cref="IPAddress"/> for a host-order 32-bit value.</summary>
    public static IPAddress ToAddress(uint value) =>
        new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);

    private static string? Parse(ReadOnlySpan<char> s, out uint value)
    {
        value = 0;
        Span<byte> parts = stackalloc byte[3];
        var dotted = 0;
        var i = 0;
        while (true)
        {
            // Like glibc, each part must begin with a digit: no sign, no space, no empty part.
            if (i >= s.Length || !char.IsAsciiDigit(s[i]))
            {
                return i >= s.Length ? (s.IsEmpty ? "it is empty" : "empty part at the end") : $"expected a digit, found {InetPton.Describe(s[i])}";
            }

            var reason = ParseCInteger(s, ref i, out var part);
            if (reason is not null)
            {
                return reason;
            }

            if (i < s.Length && s[i] == '.')
            {
                if (dotted == 3)
                {
                    return "more than four parts";
                }

                if (part > 0xff)
                {
                    return $"part {dotted + 1} is {part}, above 255";
                }

                parts[dotted++] = (byte)part;
                i++;
                continue;
            }

            if (i < s.Length)
            {
                return char.IsWhiteSpace(s[i])
                    ? "trailing text after the address (glibc ignores it; Sockit does not)"
                    : $"unexpected {InetPton.Describe(s[i])}";
            }

            if (part > _lastPartMax[dotted])
            {
                return dotted == 0
                    ? $"{part} does not fit in 32 bits"
                    : $"the last part, {part}, does not fit in the {4 - dotted} remaining byte{(dotted == 3 ? "" : "s")}";
            }

            for (var p = 0; p < dotted; p++)
            {
                value |= (uint)parts[p] << (24 - (8 * p));
            }

            value |= (uint)part;
            return null;
        }
    }

    /// <summary><c>strtoul(s, &amp;end, 0)</c> from <paramref name="i"/>: 0x hex, 0 octal, else decimal.</summary>
    private static string? ParseCInteger(ReadOnlySpan<char> s, ref int i, out ulong part)
    {
        part = 0;
        var radix = 10;
        if (s[i] == '0')
        {
            radix = 8;
            if (i + 2 < s.Length && s[i + 1] is 'x' or 'X' && char.IsAsciiHexDigit(s[i + 2]))
            {
                radix = 16;
                i += 2;
            }
        }

        var start = i;
        for (; i < s.Length; i++)
        {
            var digit = s[i] switch
            {
                >= '0' and <= '9' => s[i] - '0',
                >= 'a' and <= 'f' => s[i] - 'a' + 10,
                >= 'A' and <= 'F' => s[i] - 'A' + 10,
                _ => 99,
            };
            if (digit >= radix)
            {
                if (radix == 8 && digit < 10)
                {
                    return $"'{s[start..(i + 1)]}' is not octal (a leading 0 means octal; digits 0-7)";
                }

                break;
            }

            // Anything above 32 bits is rejected anyway; stop growing before ulong could overflow.
            part = Math.Min((part * (ulong)radix) + (ulong)digit, 1UL << 40);
        }

        return i == start ? "empty number" : null;
    }
}
