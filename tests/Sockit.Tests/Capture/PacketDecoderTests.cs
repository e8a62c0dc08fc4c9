using System.Net;
using System.Text;
using Sockit.Capture;

namespace Sockit.Tests.Capture;

public class PacketDecoderTests
{
    [Fact]
    public void DecodesEveryLayerOfAnIPv4TcpSegment()
    {
        var frame = TestFrames.Tcp("127.0.0.1:40000", "127.0.0.1:7000", 1001, 2002, TcpControlBits.Psh | TcpControlBits.Ack, 512, Encoding.ASCII.GetBytes("hello"));

        Assert.True(PacketDecoder.TryDecode(frame, out var packet));
        Assert.Equal(PacketDecoder.EtherTypeIPv4, packet!.Link.EtherType);
        Assert.Equal("000000000000", packet.Link.Source.ToString());
        Assert.Equal(new IpHeader(4, IPAddress.Loopback, IPAddress.Loopback, 20, 45, 6, 64, 0x1234, true), packet.Ip);
        Assert.Equal(new TcpHeader(40000, 7000, 1001, 2002, TcpControlBits.Psh | TcpControlBits.Ack, 512, 20), packet.Tcp);
        Assert.Null(packet.Udp);
        Assert.Equal((34, 54, 5), (packet.TransportOffset, packet.PayloadOffset, packet.PayloadLength));
        Assert.Equal("hello", Encoding.ASCII.GetString(frame, packet.PayloadOffset, packet.PayloadLength));
    }

    [Fact]
    public void DecodesAnIPv6UdpDatagram()
    {
        var frame = TestFrames.Udp("[::1]:5000", "[::1]:6000", [1, 2, 3]);

        Assert.True(PacketDecoder.TryDecode(frame, out var packet));
        Assert.Equal((6, 40, 51, 17), (packet!.Ip.Version, packet.Ip.HeaderLength, packet.Ip.TotalLength, packet.Ip.Protocol));
        Assert.Equal(IPAddress.IPv6Loopback, packet.Ip.Source);
        Assert.Equal(new UdpHeader(5000, 6000, 11), packet.Udp);
        Assert.Equal((62, 3), (packet.PayloadOffset, packet.PayloadLength));
    }

    [Fact]
    public void EthernetPaddingPastTheIpLengthIsNotPayload()
    {
        var frame = TestFrames.Tcp("127.0.0.1:1", "127.0.0.1:2", 0, 0, TcpControlBits.Ack);
        Array.Resize(ref frame, 60); // the minimum Ethernet frame, zero-padded

        Assert.True(PacketDecoder.TryDecode(frame, out var packet));
        Assert.Equal(0, packet!.PayloadLength);
    }

    [Fact]
    public void TruncatedOrHostileHeadersAreRefusedNotOverRead()
    {
        var frame = TestFrames.Tcp("127.0.0.1:1", "127.0.0.1:2", 0, 0, TcpControlBits.Syn);
        Assert.False(PacketDecoder.TryDecode(frame.AsSpan(0, 13), out _));
        Assert.False(PacketDecoder.TryDecode(frame.AsSpan(0, 30), out _)); // IPv4 header cut

        var badOffset = (byte[])frame.Clone();
        badOffset[14 + 20 + 12] = 15 << 4; // a 60-byte TCP header in a 20-byte segment
        Assert.True(PacketDecoder.TryDecode(badOffset, out var packet));
        Assert.Null(packet!.Tcp);

        var badIhl = (byte[])frame.Clone();
        badIhl[14] = 0x44; // IHL 4: 16 bytes, shorter than any IPv4 header
        Assert.False(PacketDecoder.TryDecode(badIhl, out _));
    }

    [Fact]
    public void ControlBitsAreNamedAsTheCourseNamesThem()
    {
        Assert.Equal("SYN-ACK", TcpControlBitsText.Name(TcpControlBits.Syn | TcpControlBits.Ack));
        Assert.Equal("FIN-PSH-ACK", TcpControlBitsText.Name(TcpControlBits.Fin | TcpControlBits.Psh | TcpControlBits.Ack));
        Assert.Equal("RST", TcpControlBitsText.Name(TcpControlBits.Rst));
        Assert.Equal("none", TcpControlBitsText.Name(TcpControlBits.None));
    }
}
