using System.Net;

namespace Sockit.Cli.Output;

/// <summary>
/// The line every server prints to stderr once bound: <c>sockit: listening on [::]:7000 (all interfaces; tcp, …)</c>.
/// A wildcard address says so, since a bare port is reachable from other machines; <c>127.0.0.1:PORT</c> is not.
/// </summary>
internal static class ListeningLine
{
    /// <summary>Writes the line for <paramref name="endPoint"/>, with <paramref name="details"/> in the parentheses.</summary>
    public static void Write(EndPoint endPoint, string details)
    {
        var all = endPoint is IPEndPoint ip && (ip.Address.Equals(IPAddress.IPv6Any) || ip.Address.Equals(IPAddress.Any));
        Console.Error.WriteLine($"sockit: listening on {Format(endPoint)} ({(all ? "all interfaces; " : "")}{details})");
    }

    // IPEndPoint already brackets IPv6; an IPv4-mapped address reads better as plain IPv4; a Unix one as unix:/path.
    private static string Format(EndPoint endPoint) => endPoint switch
    {
        IPEndPoint { Address.IsIPv4MappedToIPv6: true } ip => new IPEndPoint(ip.Address.MapToIPv4(), ip.Port).ToString(),
        _ => Connections.Connection.Describe(endPoint),
    };
}
