using System.Buffers.Binary;
using System.Net;
using Sockit.Capture;

namespace Sockit.Tests.Capture;

/// <summary>Builds Ethernet II frames byte by byte, as Linux's loopback interface carries them (zero MAC addresses).</summary>
internal static class TestFrames
{
    public static byte[] Tcp(string source, string destination, uint seq, uint ack, TcpControlBits flags, ushort window = 512, byte[]? payload = null)
    {
        var (src, sport) = Parse(source);
        var (dst, dport) = Parse(destination);
        payload ??= [];
        var tcp = new byte[20 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, sport);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(2), dport);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(4), seq);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(8), ack);
        tcp[12] = 5 << 4;
        tcp[13] = (byte)flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(14), window);
        payload.CopyTo(tcp, 20);
        return Ip(src, dst, PacketDecoder.ProtocolTcp, tcp);
    }

    public static byte[] Udp(string source, string destination, byte[] payload)
    {
        var (src, sport) = Parse(source);
        var (dst, dport) = Parse(destination);
        var udp = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(udp, sport);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(2), dport);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(4), (ushort)udp.Length);
        payload.CopyTo(udp, 8);
        return Ip(src, dst, PacketDecoder.ProtocolUdp, udp);
    }

    private static byte[] Ip(IPAddress src, IPAddress dst, byte protocol, byte[] transport)
    {
        var v4 = src.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
        var headerLength = v4 ? 20 : 40;
        var frame = new byte[14 + headerLength + transport.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), v4 ? PacketDecoder.EtherTypeIPv4 : PacketDecoder.EtherTypeIPv6);
        var ip = frame.AsSpan(14);
        if (v4)
        {
            ip[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + transport.Length));
            BinaryPrimitives.WriteUInt16BigEndian(ip[4..], 0x1234);
            ip[6] = 0x40; // DF
            ip[8] = 64;
            ip[9] = protocol;
            src.GetAddressBytes().CopyTo(ip[12..]);
            dst.GetAddressBytes().CopyTo(ip[16..]);
        }
        else
        {
            ip[0] = 0x60;
            BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)transport.Length);
            ip[6] = protocol;
            ip[7] = 64;
            src.GetAddressBytes().CopyTo(ip[8..]);
            dst.GetAddressBytes().CopyTo(ip[24..]);
        }

        transport.CopyTo(ip[headerLength..]);
        return frame;
    }

    private static (IPAddress, ushort) Parse(string endpoint)
    {
        var parsed = IPEndPoint.Parse(endpoint);
        return (parsed.Address, (ushort)parsed.Port);
    }
}
