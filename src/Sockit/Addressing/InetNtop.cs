using System.Globalization;
using System.Net;
using System.Text;

namespace Sockit.Addressing;

/// <summary>
/// Address bytes to text, as <c>inet_ntoa</c> and <c>inet_ntop</c> print them: IPv4 in dotted decimal, IPv6 in the
/// RFC 5952 canonical form (lower case, no leading zeros, the longest run of two or more zero groups as <c>::</c>,
/// the first run on a tie) with a dotted-quad tail for IPv4-mapped (<c>::ffff:1.2.3.4</c>) and, as glibc does,
/// for the deprecated IPv4-compatible form (<c>::1.2.3.4</c>).
/// </summary>
public static class InetNtop
{
    /// <summary><c>inet_ntoa</c>: exactly four bytes, in network order, to dotted decimal.</summary>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 4 bytes long.</exception>
    public static string FormatIPv4(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 4)
        {
            throw new ArgumentException($"an IPv4 address is 4 bytes, not {bytes.Length}", nameof(bytes));
        }

        return string.Create(CultureInfo.InvariantCulture, $"{bytes[0]}.{bytes[1]}.{bytes[2]}.{bytes[3]}");
    }

    /// <summary><c>inet_ntop</c>: 4 bytes to IPv4 text, 16 bytes to RFC 5952 IPv6 text.</summary>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is neither 4 nor 16 bytes long.</exception>
    public static string Format(ReadOnlySpan<byte> bytes) => bytes.Length switch
    {
        4 => FormatIPv4(bytes),
        16 => FormatIPv6(bytes),
        _ => throw new ArgumentException($"an address is 4 bytes (IPv4) or 16 bytes (IPv6), not {bytes.Length}", nameof(bytes)),
    };

    /// <summary>The <c>inet_ntop</c> text of <paramref name="address"/> (any scope id is left out).</summary>
    public static string Format(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return Format(address.GetAddressBytes());
    }

    private static string FormatIPv6(ReadOnlySpan<byte> bytes)
    {
        Span<int> words = stackalloc int[8];
        for (var w = 0; w < 8; w++)
        {
            words[w] = (bytes[2 * w] << 8) | bytes[(2 * w) + 1];
        }

        var (bestStart, bestLength) = LongestZeroRun(words);
        var text = new StringBuilder(41);
        for (var w = 0; w < 8; w++)
        {
            if (w >= bestStart && w < bestStart + bestLength)
            {
                if (w == bestStart)
                {
                    text.Append(':');
                }

                continue;
            }

            if (w > 0)
            {
                text.Append(':');
            }

            // The dotted tail: ::ffff:a.b.c.d (IPv4-mapped, RFC 5952 §5) and ::a.b.c.d (IPv4-compatible, as glibc).
            if (w == 6 && bestStart == 0 && (bestLength == 6 || (bestLength == 5 && words[5] == 0xffff)))
            {
                text.Append(FormatIPv4(bytes[12..]));
                return text.ToString();
            }

            text.Append(words[w].ToString("x", CultureInfo.InvariantCulture));
        }

        if (bestStart + bestLength == 8)
        {
            text.Append(':');
        }

        return text.ToString();
    }

    /// <summary>The first longest run of at least two zero groups (RFC 5952 §4.2.2: one zero group stays "0").</summary>
    private static (int Start, int Length) LongestZeroRun(ReadOnlySpan<int> words)
    {
        int bestStart = -1, bestLength = 0, start = -1;
        for (var w = 0; w <= 8; w++)
        {
            if (w < 8 && words[w] == 0)
            {
                start = start < 0 ? w : start;
                continue;
            }

            if (start >= 0 && w - start > bestLength)
            {
                (bestStart, bestLength) = (start, w - start);
            }

            start = -1;
        }

        return bestLength < 2 ? (-1, 0) : (bestStart, bestLength);
    }
}
