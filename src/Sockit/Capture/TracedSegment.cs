namespace Sockit.Capture;

/// <summary>
/// One TCP segment as the course describes it: who sent it to whom, its flags, its sequence and acknowledgement
/// numbers relative to each side's initial sequence number (ISN), and what the step means.
/// </summary>
/// <param name="Time">When the kernel saw the segment.</param>
/// <param name="Source">The sender, as <c>address:port</c> (IPv6 in brackets).</param>
/// <param name="Destination">The receiver, as <c>address:port</c>.</param>
/// <param name="Control">The flags.</param>
/// <param name="Sequence">The sequence number minus the sender's ISN (0 on the SYN); when the SYN was not seen, minus the first sequence number seen from that side.</param>
/// <param name="Acknowledgement">The acknowledgement number minus the receiver's ISN; null without the ACK flag.</param>
/// <param name="Window">The receive window as sent, in bytes before window scaling.</param>
/// <param name="PayloadLength">Application bytes carried.</param>
/// <param name="Note">A plain-language note for a handshake or close step, or for a reset; null for other segments.</param>
public sealed record TracedSegment(
    DateTimeOffset Time,
    string Source,
    string Destination,
    TcpControlBits Control,
    uint Sequence,
    uint? Acknowledgement,
    int Window,
    int PayloadLength,
    string? Note)
{
    /// <summary>The flags by name: <c>SYN</c>, <c>SYN-ACK</c>, <c>PSH-ACK</c>, <c>FIN-ACK</c>…</summary>
    public string Flags => TcpControlBitsText.Name(Control);
}
