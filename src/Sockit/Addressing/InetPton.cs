using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Sockit.Addressing;

/// <summary>
/// Strict text-to-address conversion with the semantics of POSIX <c>inet_pton</c> as glibc implements it:
/// IPv4 is exactly four decimal parts without leading zeros; IPv6 is RFC 4291 §2.2 text, with at most one
/// <c>::</c> and an optional dotted-quad tail. Nothing else: no brackets, no port, no <c>%scope</c>.
/// </summary>
/// <remarks>
/// <see cref="IPAddress.Parse(string)"/> cannot be used for this: it accepts <c>127.1</c>, <c>[::1]:80</c> and
/// <c>fe80::1%eth0</c>. The algorithm below follows glibc's <c>inet_pton4</c>/<c>inet_pton6</c> step by step
/// so that it agrees with Python's <c>socket.inet_pton</c> (tested against it), and names what is wrong.
/// </remarks>
public static class InetPton
{
    /// <summary>Parses an IPv4 or IPv6 address, strictly (IPv6 when the text has two or more colons).</summary>
    /// <exception cref="FormatException">Not an address; the message names the value and the reason.</exception>
    public static IPAddress Parse(string text) =>
        Parse(text, GuessFamily(text));

    /// <summary>Parses an address of <paramref name="family"/>, strictly.</summary>
    /// <exception cref="FormatException">Not an address of that family; the message names the value and the reason.</exception>
    public static IPAddress Parse(string text, AddressFamily family) =>
        TryParse(text, family, out var address, out var error) ? address : throw new FormatException(error);

    /// <summary>Parses an IPv4 or IPv6 address without throwing.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out IPAddress? address) =>
        TryParse(text, GuessFamily(text), out address, out _);

    /// <summary>Parses an address of <paramref name="family"/> without throwing.</summary>
    /// <param name="text">The text; no surrounding spaces are allowed.</param>
    /// <param name="family"><see cref="AddressFamily.InterNetwork"/> or <see cref="AddressFamily.InterNetworkV6"/>.</param>
    /// <param name="address">The address when the result is true.</param>
    /// <param name="error">One line naming the value and the reason when the result is false.</param>
    public static bool TryParse(
        string text, AddressFamily family, [NotNullWhen(true)] out IPAddress? address, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        address = null;
        string? reason;
        if (family == AddressFamily.InterNetwork)
        {
            Span<byte> v4 = stackalloc byte[4];
            reason = ParseIPv4(text, v4);
            if (reason is null)
            {
                address = new IPAddress(v4);
            }
        }
        else if (family == AddressFamily.InterNetworkV6)
        {
            Span<byte> v6 = stackalloc byte[16];
            reason = ParseIPv6(text, v6);
            if (reason is null)
            {
                address = new IPAddress(v6);
            }
        }
        else
        {
            throw new ArgumentOutOfRangeException(nameof(family), family, "only InterNetwork and InterNetworkV6 have a text form");
        }

        error = reason is null ? null : $"'{text}' is not an {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address: {reason}";
        return reason is null;
    }

    /// <summary>IPv6 when the text has two or more colons; otherwise IPv4 (so <c>1.2.3.4:80</c> is reported as an IPv4
    /// address with a port, not as broken IPv6).</summary>
    internal static AddressFamily GuessFamily(ReadOnlySpan<char> text) =>
        text.Count(':') >= 2 || text.Contains('[') ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;

    /// <summary>glibc <c>inet_pton4</c>: returns null on success, else why not.</summary>
    internal static string? ParseIPv4(ReadOnlySpan<char> src, Span<byte> dst)
    {
        if (src.IsEmpty)
        {
            return "it is empty";
        }

        if (src.Contains(':'))
        {
            return src.Count(':') == 1 ? "a port is not part of an address" : "it looks like IPv6";
        }

        var octets = 0;
        var sawDigit = false;
        var value = 0;
        foreach (var ch in src)
        {
            if (char.IsAsciiDigit(ch))
            {
                if (sawDigit && value == 0)
                {
                    return "leading zeros are not allowed (write 0177 as 177; 'ip aton' reads octal)";
                }

                value = (value * 10) + (ch - '0');
                if (value > 255)
                {
                    return "each part must be 0-255";
                }

                if (!sawDigit)
                {
                    octets++;
                    sawDigit = true;
                }
            }
            else if (ch == '.' && sawDigit)
            {
                if (octets == 4)
                {
                    return "more than four parts";
                }

                dst[octets - 1] = (byte)value;
                value = 0;
                sawDigit = false;
            }
            else
            {
                return ch == '.' ? "empty part" : $"unexpected {Describe(ch)} (dotted quad only: a.b.c.d)";
            }
        }

        if (octets < 4 || !sawDigit)
        {
            return sawDigit ? "fewer than four parts ('ip aton' accepts shorthand like 127.1)" : "empty part";
        }

        dst[3] = (byte)value;
        return null;
    }

    /// <summary>glibc <c>inet_pton6</c>: returns null on success, else why not.</summary>
    internal static string? ParseIPv6(ReadOnlySpan<char> src, Span<byte> dst)
    {
        if (src.IsEmpty)
        {
            return "it is empty";
        }

        if (src[0] == '[' || src.Contains(']'))
        {
            return "brackets belong around an address in a URL or endpoint, not in the address";
        }

        if (src.Contains('%'))
        {
            return "a %scope zone is not part of the address";
        }

        dst.Clear();
        var i = 0;
        if (src[0] == ':')
        {
            // A leading colon is only valid as the start of "::".
            if (src.Length == 1 || src[1] != ':')
            {
                return "a leading ':' must be '::'";
            }

            i = 1;
        }

        var tp = 0;
        var colon = -1;
        var token = i;
        var digits = 0;
        var value = 0;
        while (i < src.Length)
        {
            var ch = src[i++];
            var digit = HexValue(ch);
            if (digit >= 0)
            {
                if (digits == 4)
                {
                    return "a group has more than four hex digits";
                }

                value = (value << 4) | digit;
                digits++;
                continue;
            }

            if (ch == ':')
            {
                token = i;
                if (digits == 0)
                {
                    if (colon >= 0)
                    {
                        return "'::' may appear only once";
                    }

                    colon = tp;
                    continue;
                }

                if (i == src.Length)
                {
                    return "a trailing ':' must be '::'";
                }

                if (tp + 2 > 16)
                {
                    return "more than eight groups";
                }

                dst[tp++] = (byte)(value >> 8);
                dst[tp++] = (byte)value;
                digits = 0;
                value = 0;
                continue;
            }

            if (ch == '.' && tp + 4 <= 16)
            {
                // An embedded IPv4 tail (RFC 4291 §2.2 form 3) ends the text.
                if (ParseIPv4(src[token..], dst.Slice(tp, 4)) is { } tail)
                {
                    return "bad IPv4 tail: " + tail;
                }

                tp += 4;
                digits = 0;
                break;
            }

            return ch == '.' ? "an IPv4 tail does not fit" : $"unexpected {Describe(ch)}";
        }

        if (digits > 0)
        {
            if (tp + 2 > 16)
            {
                return "more than eight groups";
            }

            dst[tp++] = (byte)(value >> 8);
            dst[tp++] = (byte)value;
        }

        if (colon >= 0)
        {
            if (tp == 16)
            {
                return "'::' must stand for at least one zero group";
            }

            // Move what followed "::" to the end; the gap is the zeros it stands for.
            var n = tp - colon;
            dst.Slice(colon, n).CopyTo(dst.Slice(16 - n, n));
            dst.Slice(colon, 16 - n - colon).Clear();
            tp = 16;
        }

        return tp == 16 ? null : "fewer than eight groups and no '::'";
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>Names a character readably, including the invisible ones.</summary>
    internal static string Describe(char c) =>
        c is > ' ' and < '\x7f' ? $"'{c}'" : $"character U+{(int)c:X4}";
}
