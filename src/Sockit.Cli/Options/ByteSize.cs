using System.Globalization;

namespace Sockit.Cli.Options;

/// <summary>Parses sizes people type: <c>512</c>, <c>64k</c>, <c>64KiB</c>, <c>1M</c>, <c>1MiB</c>, <c>2GB</c>.</summary>
/// <remarks>Suffixes are binary (k = KiB = 1024), as in ncat's and iperf's options.</remarks>
internal static class ByteSize
{
    public static long Parse(string text, string optionName)
    {
        var s = text.Trim();
        var i = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        var unit = s[i..].TrimEnd('B', 'b').TrimEnd('i').ToUpperInvariant();
        long multiplier = unit switch
        {
            "" => 1,
            "K" => 1L << 10,
            "M" => 1L << 20,
            "G" => 1L << 30,
            _ => 0,
        };
        if (i == 0 || multiplier == 0 || !long.TryParse(s.AsSpan(0, i), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            || n > long.MaxValue / multiplier)
        {
            throw new UsageException($"{optionName}: '{text}' is not a size (examples: 32, 64k, 1MiB)");
        }

        return n * multiplier;
    }
}
