namespace Sockit.Capture;

/// <summary>A TCP header (RFC 9293 section 3.1). Sequence numbers are the raw 32-bit values on the wire.</summary>
/// <param name="SourcePort">The sender's port.</param>
/// <param name="DestinationPort">The receiver's port.</param>
/// <param name="Sequence">The sequence number of the first payload byte (of the SYN or FIN when one is set and there is no payload).</param>
/// <param name="Acknowledgement">The next sequence number the sender expects; meaningful only with <see cref="TcpControlBits.Ack"/>.</param>
/// <param name="Flags">The control bits.</param>
/// <param name="Window">The receive window as sent, in bytes before window scaling (RFC 7323).</param>
/// <param name="HeaderLength">The header's length in bytes, options included (data offset × 4, 20 to 60).</param>
/// <param name="WindowScale">
/// The shift count of a window scale option (RFC 7323 section 2.2, kind 3), sent only in SYN segments, at most 14;
/// null when the segment carries none. Scaling is in force for the connection only when both SYNs carried one.
/// </param>
public sealed record TcpHeader(
    ushort SourcePort,
    ushort DestinationPort,
    uint Sequence,
    uint Acknowledgement,
    TcpControlBits Flags,
    ushort Window,
    int HeaderLength,
    int? WindowScale = null);
