namespace Sockit.Capture;

/// <summary>A UDP header (RFC 768; 8 bytes).</summary>
/// <param name="SourcePort">The sender's port.</param>
/// <param name="DestinationPort">The receiver's port.</param>
/// <param name="Length">The datagram's length in bytes, the 8-byte header included.</param>
public sealed record UdpHeader(ushort SourcePort, ushort DestinationPort, int Length)
{
    /// <summary>The length of a UDP header in bytes.</summary>
    public const int HeaderLength = 8;
}
