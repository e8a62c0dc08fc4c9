using System.Globalization;
using System.Text;

namespace Sockit.Capture;

/// <summary>
/// Lays a decoded frame out layer by layer, the course's "each layer adds its header on the way out and removes
/// it on the way in": link (Ethernet II), network (IPv4 or IPv6), transport (TCP or UDP) and application (the
/// payload). Pure.
/// </summary>
public static class PacketLayers
{
    /// <summary>The layers of <paramref name="packet"/>, decoded from <paramref name="frame"/>, outermost first.</summary>
    public static IReadOnlyList<LayerSection> Describe(ReadOnlySpan<byte> frame, DecodedPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var c = CultureInfo.InvariantCulture;
        var link = packet.Link;
        var ip = packet.Ip;
        var sections = new List<LayerSection>
        {
            new("link", "Ethernet II", 0, LinkHeader.Length,
            [
                new("destination MAC", Mac(link.Destination.GetAddressBytes())),
                new("source MAC", Mac(link.Source.GetAddressBytes())),
                new("EtherType", string.Create(c, $"0x{link.EtherType:X4} ({(ip.Version == 4 ? "IPv4" : "IPv6")})")),
            ]),
        };

        var network = new List<LayerField> { new("version", ip.Version.ToString(c)), new("header length", string.Create(c, $"{ip.HeaderLength} bytes")), new("total length", string.Create(c, $"{ip.TotalLength} bytes")) };
        if (ip.Version == 4)
        {
            network.Add(new("identification", string.Create(c, $"0x{ip.Identification:X4}")));
            network.Add(new("don't fragment", ip.DontFragment ? "yes" : "no"));
        }

        network.Add(new(ip.Version == 4 ? "TTL" : "hop limit", ip.TimeToLive.ToString(c)));
        network.Add(new(ip.Version == 4 ? "protocol" : "next header", string.Create(c, $"{ip.Protocol} ({ip.Protocol switch { PacketDecoder.ProtocolTcp => "TCP", PacketDecoder.ProtocolUdp => "UDP", _ => "other" }})")));
        network.Add(new("source", ip.Source.ToString()));
        network.Add(new("destination", ip.Destination.ToString()));
        sections.Add(new("network", ip.Version == 4 ? "IPv4" : "IPv6", LinkHeader.Length, ip.HeaderLength, network));

        if (packet.Tcp is { } tcp)
        {
            sections.Add(new("transport", "TCP", packet.TransportOffset, tcp.HeaderLength,
            [
                new("source port", tcp.SourcePort.ToString(c)),
                new("destination port", tcp.DestinationPort.ToString(c)),
                new("sequence number", tcp.Sequence.ToString(c)),
                new("acknowledgement number", tcp.Acknowledgement.ToString(c)),
                new("header length", string.Create(c, $"{tcp.HeaderLength} bytes ({tcp.HeaderLength - 20} of options)")),
                new("flags", TcpControlBitsText.Name(tcp.Flags)),
                new("window", string.Create(c, $"{tcp.Window} (before window scaling, RFC 7323)")),
            ]));
        }
        else if (packet.Udp is { } udp)
        {
            sections.Add(new("transport", "UDP", packet.TransportOffset, UdpHeader.HeaderLength,
            [
                new("source port", udp.SourcePort.ToString(c)),
                new("destination port", udp.DestinationPort.ToString(c)),
                new("length", string.Create(c, $"{udp.Length} bytes")),
            ]));
        }

        var payload = frame.Slice(packet.PayloadOffset, Math.Min(packet.PayloadLength, frame.Length - packet.PayloadOffset));
        sections.Add(new("application", "data", packet.PayloadOffset, payload.Length,
        [
            new("bytes", string.Create(c, $"{payload.Length}")),
            new("as text", Printable(payload)),
        ]));
        return sections;
    }

    private static string Mac(byte[] address) => string.Join(':', address.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length + 2).Append('"');
        foreach (var b in bytes)
        {
            text.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
        }

        return text.Append('"').ToString();
    }
}
