using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Sockit.Framing;

namespace Sockit.Lessons;

/// <summary>
/// TCP and UDP side by side on 127.0.0.1 (面向连接 / 面向无连接), measured: a handshake before the first byte (TCP)
/// or none (UDP); message boundaries lost (TCP glues: the sticky-packet lesson) or kept (UDP); and a burst into a
/// small receive buffer that is not being read: UDP drops and the kernel counts the drops, TCP holds the sender
/// back (flow control) and loses nothing.
/// </summary>
public static class TcpVersusUdpLesson
{
    /// <summary>Messages in the boundaries row.</summary>
    public const int Messages = 10;

    /// <summary>Messages in the burst.</summary>
    public const int BurstCount = 1000;

    /// <summary>Bytes per burst message.</summary>
    public const int BurstSize = 512;

    /// <summary>The receive buffer asked for on both receivers: small, so the burst overflows it.</summary>
    public const int ReceiveBufferSize = 4096;

    /// <summary>Runs the lesson; takes well under a second.</summary>
    public static async Task<TcpVersusUdpRun> RunAsync(CancellationToken cancellationToken = default)
    {
        using var listener = Lesson.LoopbackListener();
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var tcpPort = Lesson.Port(listener);
        var udpPort = Lesson.Port(udp);

        // Row 1: what goes on the wire before the first byte of data. A first connection, not captured, warms up
        // the code paths so that the connect timed below is the handshake's round trip, not start-up work.
        using (var warmUp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            warmUp.Connect(listener.LocalEndPoint!);
            (await listener.AcceptAsync(cancellationToken).ConfigureAwait(false)).Dispose();
        }

        var capture = LessonCapture.Start(tcpPort, udpPort);
        double connectMicroseconds;
        await using (capture.ConfigureAwait(false))
        {
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var started = Stopwatch.GetTimestamp();
            client.Connect(listener.LocalEndPoint!); // blocking: the time is the syscall's, not the async machinery's
            connectMicroseconds = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            using var server = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            await client.SendAsync("x"u8.ToArray(), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            await sender.SendToAsync("x"u8.ToArray(), SocketFlags.None, udp.LocalEndPoint!, cancellationToken).ConfigureAwait(false);
            await server.ReceiveAsync(new byte[1], SocketFlags.None, cancellationToken).ConfigureAwait(false);
            await udp.ReceiveAsync(new byte[1], SocketFlags.None, cancellationToken).ConfigureAwait(false);
            var packets = await capture.StopAsync(cancellationToken).ConfigureAwait(false);
            var captured = capture.Status == LessonCapture.Running;
            var tcpBefore = captured ? packets.TakeWhile(p => p.Packet.Tcp is null || p.Packet.PayloadLength == 0).Count(p => p.Packet.Tcp is not null) : (int?)null;
            var udpBefore = captured ? packets.TakeWhile(p => p.Packet.Udp is null).Count(p => p.Packet.Udp is not null) : (int?)null;

            // Row 2: message boundaries.
            var sticky = await StickyPackets.RunAsync(FrameSpec.Raw, Messages, cancellationToken).ConfigureAwait(false);
            var (udpReads, udpIntact) = await DatagramBoundariesAsync(udp, cancellationToken).ConfigureAwait(false);

            // Row 3: a burst at a receiver that is not reading.
            var (tcpBytes, inOrder, waited) = await TcpBurstAsync(cancellationToken).ConfigureAwait(false);
            var (udpReceived, drops) = await UdpBurstAsync(cancellationToken).ConfigureAwait(false);

            return new TcpVersusUdpRun(
                capture.Status, tcpBefore, udpBefore, connectMicroseconds,
                Messages, sticky.Reads, udpReads, udpIntact,
                BurstCount, BurstSize, ReceiveBufferSize, tcpBytes, inOrder, waited, udpReceived, drops);
        }
    }

    private static async Task<(int Reads, int Intact)> DatagramBoundariesAsync(Socket receiver, CancellationToken cancellationToken)
    {
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        for (var i = 1; i <= Messages; i++)
        {
            await sender.SendToAsync(StickyPackets.Message(i), SocketFlags.None, receiver.LocalEndPoint!, cancellationToken).ConfigureAwait(false);
        }

        var buffer = new byte[StickyPackets.ReceiveSize];
        var (reads, intact) = (0, 0);
        while (reads < Messages)
        {
            var n = await receiver.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            reads++;
            intact += buffer.AsSpan(0, n).SequenceEqual(StickyPackets.Message(reads)) ? 1 : 0;
        }

        return (reads, intact);
    }

    private static async Task<(long Bytes, bool InOrder, double WaitedMs)> TcpBurstAsync(CancellationToken cancellationToken)
    {
        using var listener = Lesson.LoopbackListener(receiveBufferSize: ReceiveBufferSize);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { SendBufferSize = ReceiveBufferSize };
        await client.ConnectAsync(listener.LocalEndPoint!, cancellationToken).ConfigureAwait(false);
        using var server = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);

        // The sender writes the whole burst; the receiver starts reading only once the sender is stuck (the
        // buffers are full and a send is waiting): flow control, not loss.
        var started = Stopwatch.GetTimestamp();
        var send = Task.Run(async () =>
        {
            var message = new byte[BurstSize];
            for (var i = 0; i < BurstCount; i++)
            {
                message.AsSpan().Fill((byte)i);
                await client.SendAsync(message, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }

            client.Shutdown(SocketShutdown.Send);
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }, cancellationToken);
        await Task.WhenAny(send, Task.Delay(100, cancellationToken)).ConfigureAwait(false);

        var buffer = new byte[BurstSize];
        long total = 0;
        var inOrder = true;
        int n;
        while ((n = await server.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false)) > 0)
        {
            for (var i = 0; i < n; i++)
            {
                inOrder &= buffer[i] == (byte)((total + i) / BurstSize);
            }

            total += n;
        }

        return (total, inOrder, await send.ConfigureAwait(false));
    }

    private static async Task<(int Received, long? Drops)> UdpBurstAsync(CancellationToken cancellationToken)
    {
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = ReceiveBufferSize };
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var message = new byte[BurstSize];
        for (var i = 0; i < BurstCount; i++)
        {
            await sender.SendToAsync(message, SocketFlags.None, receiver.LocalEndPoint!, cancellationToken).ConfigureAwait(false);
        }

        // On loopback a datagram is queued (or dropped) before sendto returns, so what is queued now is all there is.
        var drops = Capture.UdpSocketDrops.Read(((IPEndPoint)receiver.LocalEndPoint!).Port);
        var received = 0;
        while (receiver.Available > 0)
        {
            await receiver.ReceiveAsync(message, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            received++;
        }

        return (received, drops);
    }
}
