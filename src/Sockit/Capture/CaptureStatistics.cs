namespace Sockit.Capture;

/// <summary>The kernel's counters for a capture socket (Linux <c>PACKET_STATISTICS</c>), since it was opened.</summary>
/// <param name="Received">Frames the kernel handed to the socket, dropped ones included (<c>tp_packets</c>). On a
/// loopback interface each packet is counted twice: once leaving and once arriving.</param>
/// <param name="Dropped">Frames the kernel dropped because the socket's receive buffer was full (<c>tp_drops</c>).</param>
public sealed record CaptureStatistics(long Received, long Dropped);
