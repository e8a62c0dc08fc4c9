using System.Buffers;
using Sockit.Diagnostics;

namespace Sockit.Cli.Commands.Udp;

/// <summary><c>--hex</c> for UDP, as for TCP: every datagram in and out dumped to stderr with direction, time and peer.</summary>
internal sealed class UdpHexLog(bool enabled)
{
    public void Dump(TrafficDirection direction, string peer, ReadOnlyMemory<byte> datagram)
    {
        if (enabled)
        {
            // Offset 0: every datagram stands alone; there is no stream to count through.
            Console.Error.Write(HexDump.Format(direction, DateTimeOffset.UtcNow, peer, 0, new ReadOnlySequence<byte>(datagram)));
        }
    }
}
