using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;

namespace Sockit.Capture;

/// <summary>
/// Takes an Ethernet II frame apart: the Ethernet header (IEEE 802.3), IPv4 (RFC 791) or IPv6 (RFC 8200), then
/// TCP (RFC 9293) or UDP (RFC 768). Pure: bytes in, headers out; no sockets, no clocks. Every length read from a
/// header is checked against the bytes present, so a truncated or hostile frame is refused, never over-read.
/// </summary>
/// <remarks>
/// A small decoder of our own rather than PacketDotNet: PacketDotNet 1.4.8 fails the Native AOT publish (trim
/// warning IL2091 in <c>LazySlim&lt;T&gt;.CreateValue</c>), and silencing it would mean silencing a whole assembly's
/// trim warnings. The headers read here are fixed-layout, so the decoder stays short. IPv6 extension headers and
/// IP fragments other than the first are not followed: such packets decode without a transport header.
/// </remarks>
public static class PacketDecoder
{
    /// <summary>EtherType of IPv4.</summary>
    public const ushort EtherTypeIPv4 = 0x0800;

    /// <summary>EtherType of IPv6.</summary>
    public const ushort EtherTypeIPv6 = 0x86DD;

    /// <summary>IP protocol number of TCP.</summary>
    public const int ProtocolTcp = 6;

    /// <summary>IP protocol number of UDP.</summary>
    public const int ProtocolUdp = 17;

    /// <summary>
    /// Decodes <paramref name="frame"/>. Returns false when it is not a whole IPv4 or IPv6 packet in an Ethernet II
    /// frame; a packet that is IP but neither TCP nor UDP decodes with both transport headers null.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> frame, out DecodedPacket? packet)
    {
        packet = null;
        if (frame.Length < LinkHeader.Length)
        {
            return false;
        }

        var link = new LinkHeader(
            new PhysicalAddress(frame[..6].ToArray()),
            new PhysicalAddress(frame[6..12].ToArray()),
            BinaryPrimitives.ReadUInt16BigEndian(frame[12..]));
        var ipBytes = frame[LinkHeader.Length..];
        var ip = link.EtherType switch
        {
            EtherTypeIPv4 => DecodeIPv4(ipBytes),
            EtherTypeIPv6 => DecodeIPv6(ipBytes),
            _ => null,
        };
        if (ip is null)
        {
            return false;
        }

        // The IP length bounds the packet: a frame may be padded past it (Ethernet's 60-byte minimum).
        var transportOffset = LinkHeader.Length + ip.HeaderLength;
        var end = Math.Min(frame.Length, LinkHeader.Length + ip.TotalLength);
        var transport = frame[transportOffset..end];
        TcpHeader? tcp = null;
        UdpHeader? udp = null;
        var payloadOffset = end;
        if (ip.Protocol == ProtocolTcp && DecodeTcp(transport) is { } t)
        {
            tcp = t;
            payloadOffset = transportOffset + t.HeaderLength;
        }
        else if (ip.Protocol == ProtocolUdp && DecodeUdp(transport) is { } u)
        {
            udp = u;
            payloadOffset = transportOffset + UdpHeader.HeaderLength;
        }

        packet = new DecodedPacket(link, ip, tcp, udp, transportOffset, payloadOffset, end - payloadOffset);
        return true;
    }

    private static IpHeader? DecodeIPv4(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 20 || bytes[0] >> 4 != 4)
        {
            return null;
        }

        var headerLength = (bytes[0] & 0x0F) * 4;
        var totalLength = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
        if (headerLength < 20 || totalLength < headerLength || bytes.Length < headerLength)
        {
            return null;
        }

        var flagsAndOffset = BinaryPrimitives.ReadUInt16BigEndian(bytes[6..]);
        var fragmentOffset = flagsAndOffset & 0x1FFF;
        return new IpHeader(
            4,
            new IPAddress(bytes[12..16]),
            new IPAddress(bytes[16..20]),
            headerLength,
            totalLength,
            fragmentOffset == 0 ? bytes[9] : -1, // a later fragment has no transport header of its own
            bytes[8],
            BinaryPrimitives.ReadUInt16BigEndian(bytes[4..]),
            (flagsAndOffset & 0x4000) != 0);
    }

    private static IpHeader? DecodeIPv6(ReadOnlySpan<byte> bytes)
    {
        const int headerLength = 40;
        if (bytes.Length < headerLength || bytes[0] >> 4 != 6)
        {
            return null;
        }

        return new IpHeader(
            6,
            new IPAddress(bytes[8..24]),
            new IPAddress(bytes[24..40]),
            headerLength,
            headerLength + BinaryPrimitives.ReadUInt16BigEndian(bytes[4..]),
            bytes[6],
            bytes[7],
            0,
            false);
    }

    private static TcpHeader? DecodeTcp(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 20)
        {
            return null;
        }

        var headerLength = (bytes[12] >> 4) * 4;
        if (headerLength < 20 || headerLength > bytes.Length)
        {
            return null;
        }

        return new TcpHeader(
            BinaryPrimitives.ReadUInt16BigEndian(bytes),
            BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[8..]),
            (TcpControlBits)bytes[13],
            BinaryPrimitives.ReadUInt16BigEndian(bytes[14..]),
            headerLength);
    }

    private static UdpHeader? DecodeUdp(ReadOnlySpan<byte> bytes) =>
        bytes.Length < UdpHeader.HeaderLength
            ? null
            : new UdpHeader(
                BinaryPrimitives.ReadUInt16BigEndian(bytes),
                BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]),
                BinaryPrimitives.ReadUInt16BigEndian(bytes[4..]));
}
