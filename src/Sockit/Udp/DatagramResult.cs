namespace Sockit.Udp;

/// <summary>The outcome of one <see cref="UdpEndpoint.ReceiveAsync"/>.</summary>
/// <param name="Status">Whether a whole datagram arrived, a cut one, or an ICMP error.</param>
/// <param name="Length">
/// Payload bytes placed at the start of the buffer: the whole datagram for <see cref="DatagramStatus.Ok"/>,
/// <see cref="UdpEndpointOptions.MaxDatagramSize"/> for <see cref="DatagramStatus.Truncated"/>, 0 for
/// <see cref="DatagramStatus.PortUnreachable"/>.
/// </param>
public readonly record struct DatagramResult(DatagramStatus Status, int Length);
