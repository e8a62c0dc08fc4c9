using System.Buffers.Binary;
using Sockit.Capture;

namespace Sockit.Tests.Capture;

public class CaptureFilterTests
{
    [Fact]
    public void APortFilterKeepsTcpToOrFromThePortOverIPv4AndIPv6AndDropsTheRest()
    {
        var program = CaptureFilter.Build([7000], udp: false);

        Assert.True(Run(program, TestFrames.Tcp("127.0.0.1:40000", "127.0.0.1:7000", 1, 0, TcpControlBits.Syn)));
        Assert.True(Run(program, TestFrames.Tcp("127.0.0.1:7000", "127.0.0.1:40000", 1, 2, TcpControlBits.Syn | TcpControlBits.Ack)));
        Assert.True(Run(program, TestFrames.Tcp("[::1]:40000", "[::1]:7000", 1, 0, TcpControlBits.Syn)));
        Assert.False(Run(program, TestFrames.Tcp("127.0.0.1:40000", "127.0.0.1:7001", 1, 0, TcpControlBits.Syn)));
        Assert.False(Run(program, TestFrames.Udp("127.0.0.1:40000", "127.0.0.1:7000", [1])));
        Assert.False(Run(program, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x06, 0, 0])); // ARP

        var fragment = TestFrames.Tcp("127.0.0.1:40000", "127.0.0.1:7000", 1, 0, TcpControlBits.Syn);
        BinaryPrimitives.WriteUInt16BigEndian(fragment.AsSpan(14 + 6), 0x0010); // a later fragment: no ports in it
        Assert.False(Run(program, fragment));
    }

    [Fact]
    public void WithUdpAndNoPortsEveryTcpAndUdpPacketIsKept()
    {
        var program = CaptureFilter.Build(null, udp: true);

        Assert.True(Run(program, TestFrames.Udp("[::1]:5000", "[::1]:6000", [1])));
        Assert.True(Run(program, TestFrames.Tcp("127.0.0.1:1", "127.0.0.1:2", 0, 0, TcpControlBits.Ack)));
        Assert.False(Run(CaptureFilter.Build(null, udp: false), TestFrames.Udp("127.0.0.1:1", "127.0.0.1:2", [1])));
    }

    /// <summary>A classic BPF interpreter for the instructions the filter uses (Linux's filter.h semantics): true when the frame is kept.</summary>
    private static bool Run(byte[] program, byte[] frame)
    {
        uint a = 0, x = 0;
        for (var pc = 0; ;)
        {
            var op = program.AsSpan(pc * 8);
            var (code, jt, jf, k) = (BinaryPrimitives.ReadUInt16LittleEndian(op), op[2], op[3], BinaryPrimitives.ReadUInt32LittleEndian(op[4..]));
            pc++;
            switch (code)
            {
                case 0x28: if (k + 2 > frame.Length) { return false; } a = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan((int)k)); break;
                case 0x30: if (k + 1 > frame.Length) { return false; } a = frame[k]; break;
                case 0x48: if (x + k + 2 > frame.Length) { return false; } a = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan((int)(x + k))); break;
                case 0xb1: x = (uint)(4 * (frame[k] & 0xF)); break;
                case 0x15: pc += a == k ? jt : jf; break;
                case 0x45: pc += (a & k) != 0 ? jt : jf; break;
                case 0x05: pc += (int)k; break;
                case 0x06: return k != 0;
                default: throw new InvalidOperationException($"opcode 0x{code:x2}");
            }
        }
    }
}
