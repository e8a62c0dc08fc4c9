using System.Globalization;

namespace Sockit.Udp;

/// <summary>What one peer sent to a <see cref="UdpSinkService"/>.</summary>
/// <param name="Peer">The peer's name (<c>127.0.0.1:40001</c>).</param>
/// <param name="Datagrams">Datagrams received.</param>
/// <param name="Bytes">Payload bytes received.</param>
/// <param name="Gaps">Sequence numbers skipped (lost, or still on the way); null when no message carried one.</param>
/// <param name="Late">Messages whose sequence number went back (reordered or duplicated); null when none carried one.</param>
public sealed record UdpSinkReport(string Peer, long Datagrams, long Bytes, long? Gaps, long? Late)
{
    /// <summary>The report of <paramref name="peer"/> as it stands now.</summary>
    public static UdpSinkReport Of(UdpPeer peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return peer.HasSequence
            ? new UdpSinkReport(peer.Name, peer.Datagrams, peer.Bytes, peer.Gaps, peer.Late)
            : new UdpSinkReport(peer.Name, peer.Datagrams, peer.Bytes, null, null);
    }

    /// <summary>One line: <c>127.0.0.1:40001  1000 datagrams  3893 bytes  0 gaps  0 late</c> (<c>-</c> without sequence numbers).</summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        return string.Create(inv, $"{Peer}  {Datagrams} datagrams  {Bytes} bytes  {Gaps?.ToString(inv) ?? "-"} gaps  {Late?.ToString(inv) ?? "-"} late");
    }
}
