namespace Sockit.Lessons;

/// <summary>What <see cref="TcpVersusUdpLesson"/> measured, TCP beside UDP, all on 127.0.0.1.</summary>
/// <param name="Capture">Whether the packets were captured, or why not.</param>
/// <param name="TcpPacketsBeforeData">Packets on the wire before TCP's first data byte (the handshake: 3); null without capture.</param>
/// <param name="UdpPacketsBeforeData">Packets on the wire before UDP's first datagram (none: 0); null without capture.</param>
/// <param name="TcpConnectMicroseconds">How long <c>connect()</c> took: the handshake's round trip, in microseconds.</param>
/// <param name="Messages">Messages sent one send call each, for the boundaries row.</param>
/// <param name="TcpReads">Receive calls TCP needed for them (fewer than <paramref name="Messages"/>: glued).</param>
/// <param name="UdpReads">Receive calls UDP needed (one per datagram).</param>
/// <param name="UdpIntact">UDP datagrams that were exactly one message.</param>
/// <param name="BurstCount">Messages in the burst sent at a receiver that does not read yet.</param>
/// <param name="BurstSize">Bytes per burst message.</param>
/// <param name="ReceiveBufferSize">The receive buffer asked for on both receivers, in bytes (the kernel doubles it).</param>
/// <param name="TcpBytesReceived">Bytes TCP delivered of the burst (all of them, in order).</param>
/// <param name="TcpInOrder">True when every TCP byte arrived as sent.</param>
/// <param name="TcpSenderWaitedMilliseconds">How long the TCP sender was held back by flow control, in milliseconds.</param>
/// <param name="UdpReceived">UDP datagrams of the burst received.</param>
/// <param name="UdpKernelDrops">Datagrams the kernel dropped for the UDP receiver (<c>/proc/net/udp</c>), null if unreadable.</param>
public sealed record TcpVersusUdpRun(
    string Capture,
    int? TcpPacketsBeforeData,
    int? UdpPacketsBeforeData,
    double TcpConnectMicroseconds,
    int Messages,
    int TcpReads,
    int UdpReads,
    int UdpIntact,
    int BurstCount,
    int BurstSize,
    int ReceiveBufferSize,
    long TcpBytesReceived,
    bool TcpInOrder,
    double TcpSenderWaitedMilliseconds,
    int UdpReceived,
    long? UdpKernelDrops);
