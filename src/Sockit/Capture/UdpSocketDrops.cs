using System.Globalization;

namespace Sockit.Capture;

/// <summary>
/// The datagrams the kernel dropped for a UDP socket because its receive buffer was full: the <c>drops</c> column
/// of Linux's <c>/proc/net/udp</c> and <c>/proc/net/udp6</c> (proc(5)). Needs no privilege.
/// </summary>
public static class UdpSocketDrops
{
    /// <summary>The drop count of the UDP socket bound to local port <paramref name="localPort"/>; null when none is.</summary>
    public static long? Read(int localPort)
    {
        foreach (var path in new[] { "/proc/net/udp", "/proc/net/udp6" })
        {
            if (File.Exists(path) && Parse(File.ReadAllText(path), localPort) is { } drops)
            {
                return drops;
            }
        }

        return null;
    }

    /// <summary>
    /// Finds the socket bound to <paramref name="localPort"/> in the text of <c>/proc/net/udp</c> (a header line,
    /// then <c>sl local_address rem_address st … inode ref pointer drops</c> per socket) and returns its drops.
    /// </summary>
    public static long? Parse(string text, int localPort)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 13 && fields[0].EndsWith(':') && TcpSocketTable.ParseEndPoint(fields[1])?.Port == localPort
                && long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var drops))
            {
                return drops;
            }
        }

        return null;
    }
}
