namespace Sockit.Capture;

/// <summary>A TCP header (RFC 9293 section 3.1). Sequence numbers are the raw 32-bit values on the wire.</summary>
/// <param name="SourcePort">The sender's port.</param>
/// <param name="DestinationPort">The receiver's port.</param>
/// <param name="Sequence">The sequence number of the first payload byte (of the SYN or FIN when one is set and there is no payload).</param>
/// <param name="Acknowledgement">The next sequence number the sender expects; meaningful only with <see cref="TcpControlBits.Ack"/>.</param>
/// <param name="Flags">The control bits.</param>
/// <param name="Window">The receive window as sent, in bytes before window scaling (RFC 7323).</param>
/// <param name="HeaderLength">The header's length in bytes, options included (data offset × 4, 20 to 60).</param>
public sealed record TcpHeader(
    ushort SourcePort,
    ushort DestinationPort,
    uint Sequence,
    uint Acknowledgement,
    TcpControlBits Flags,
    ushort Window,
    int HeaderLength);
