using Sockit.Framing;
using Sockit.Udp;

namespace Sockit.Cli.Commands.Udp;

/// <summary>How <c>listen --udp</c> and <c>connect --udp</c> cut, limit and show messages.</summary>
/// <param name="Framing">Framing inside each datagram (listen) or of stdin (connect).</param>
/// <param name="FramingOptions">The frame limit (also the datagram limit) and the bad-frame policy.</param>
/// <param name="Hex">Show received messages as a hex dump.</param>
/// <param name="Verbose">Say on stderr what UDP does and does not do.</param>
internal sealed record UdpMessageSettings(FrameSpec Framing, FramingOptions FramingOptions, bool Hex, bool Verbose)
{
    /// <summary>
    /// 4 MiB of kernel receive buffer (<c>SO_RCVBUF</c>), asked for every socket: the OS default (208 KiB on
    /// Linux) overflows, and drops datagrams, under a burst of a few hundred small ones. The kernel caps it at
    /// <c>net.core.rmem_max</c>.
    /// </summary>
    public const int SocketReceiveBufferSize = 4 << 20;

    /// <summary>The datagram limit: <c>--max-frame</c>, capped at the largest UDP payload.</summary>
    public int MaxDatagramSize => Math.Min(FramingOptions.MaxFrameSize, UdpEndpointOptions.LargestDatagramSize);

    public DatagramFramer CreateFramer() => new(Framing, FramingOptions);
}
