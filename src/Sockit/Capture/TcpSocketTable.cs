using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;

namespace Sockit.Capture;

/// <summary>
/// Reads TCP socket states from the kernel without privilege: Linux's <c>/proc/net/tcp</c> and
/// <c>/proc/net/tcp6</c> (proc(5)), the same table <c>netstat</c> prints.
/// </summary>
public static class TcpSocketTable
{
    /// <summary>Every TCP socket of this network namespace, IPv4 then IPv6; empty where the files do not exist.</summary>
    public static IReadOnlyList<TcpSocketEntry> Read()
    {
        var entries = new List<TcpSocketEntry>();
        foreach (var path in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (File.Exists(path))
            {
                entries.AddRange(Parse(File.ReadAllText(path)));
            }
        }

        return entries;
    }

    /// <summary>
    /// The state of the socket whose local port is <paramref name="localPort"/> and whose peer's port is
    /// <paramref name="remotePort"/> (0 for a listener); <see cref="TcpState.Closed"/> when the kernel has none.
    /// </summary>
    public static TcpState StateOf(int localPort, int remotePort) => StateOf(Read(), localPort, remotePort);

    /// <summary>The state of the matching socket in <paramref name="table"/>, or <see cref="TcpState.Closed"/>.</summary>
    public static TcpState StateOf(IEnumerable<TcpSocketEntry> table, int localPort, int remotePort)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.FirstOrDefault(e => e.Local.Port == localPort && e.Remote.Port == remotePort)?.State ?? TcpState.Closed;
    }

    /// <summary>
    /// Parses the text of <c>/proc/net/tcp</c> or <c>/proc/net/tcp6</c>: a header line, then one socket per line
    /// with <c>local_address rem_address st … inode</c>, addresses as hexadecimal in the kernel's byte order
    /// (each 32-bit word as the host stores it; little-endian here) and ports as big hexadecimal numbers. Lines
    /// that do not parse are skipped.
    /// </summary>
    public static IReadOnlyList<TcpSocketEntry> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<TcpSocketEntry>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 10 || !fields[0].EndsWith(':')
                || ParseEndPoint(fields[1]) is not { } local || ParseEndPoint(fields[2]) is not { } remote
                || !int.TryParse(fields[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var state)
                || !long.TryParse(fields[9], NumberStyles.None, CultureInfo.InvariantCulture, out var inode))
            {
                continue;
            }

            entries.Add(new TcpSocketEntry(local, remote, (TcpState)state, inode));
        }

        return entries;
    }

    /// <summary>Parses <c>0100007F:1F90</c> (IPv4) or a 32-digit IPv6 address and a port, as /proc/net/* prints them; null if malformed.</summary>
    internal static IPEndPoint? ParseEndPoint(string field)
    {
        var colon = field.IndexOf(':', StringComparison.Ordinal);
        if (colon is not (8 or 32) || !int.TryParse(field.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port))
        {
            return null;
        }

        // The kernel prints each 32-bit word of the address with %08X of the word as stored in memory (network
        // order bytes read as a host integer): on a little-endian host "0100007F" is 127.0.0.1.
        Span<byte> address = stackalloc byte[colon / 2];
        for (var word = 0; word < colon / 8; word++)
        {
            if (!uint.TryParse(field.AsSpan(word * 8, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }

            MemoryMarshal.Write(address[(word * 4)..], in value);
        }

        return new IPEndPoint(new IPAddress(address), port);
    }
}
