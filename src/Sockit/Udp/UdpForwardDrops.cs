namespace Sockit.Udp;

/// <summary>
/// Datagrams a <see cref="UdpForwarder"/> could not relay in one report period (a second at most), by cause. Each is
/// counted and reported: nothing is lost silently.
/// </summary>
/// <param name="NoSession">From new clients that got no session: <see cref="UdpForwarderOptions.MaxSessions"/> were open
/// and none idle, or a session socket could not be opened (out of file descriptors).</param>
/// <param name="NoSessionBytes">The payload bytes of <paramref name="NoSession"/>.</param>
/// <param name="TooLarge">Larger than <see cref="UdpForwarderOptions.MaxDatagramSize"/>, either way.</param>
/// <param name="TargetUnreachable">ICMP port unreachable from the target: nothing listened there, so a datagram a
/// session sent was lost (RFC 1122 4.1.3.3: UDP passes the error up; a connected socket hears it on Linux).</param>
/// <param name="SendFailed">The kernel refused a send either way (no buffer space, no route), or a session closed
/// while its datagram was on the way.</param>
public readonly record struct UdpForwardDrops(long NoSession, long NoSessionBytes, long TooLarge, long TargetUnreachable, long SendFailed)
{
    /// <summary>True when nothing was dropped.</summary>
    public bool IsEmpty => NoSession == 0 && TooLarge == 0 && TargetUnreachable == 0 && SendFailed == 0;
}
