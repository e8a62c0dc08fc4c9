using System.Net;
using System.Net.Sockets;
using Sockit.Capture;

namespace Sockit.Tests.Capture;

public sealed class PacketCaptureTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task TryReceiveTakesEveryFrameAlreadyQueuedWithoutWaitingThenSaysNone()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "packet capture is Linux's AF_PACKET");
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)receiver.LocalEndPoint!).Port;
        PacketCapture capture;
        try
        {
            capture = PacketCapture.Open("lo", CaptureFilter.Build([port], udp: true));
        }
        catch (CapturePermissionException ex)
        {
            throw new SkipException("capturing needs CAP_NET_RAW (CI runs as root): " + ex.Message);
        }

        using (capture)
        {
            // Nobody reads the capture while the datagrams cross: the kernel queues them (a reader that fell behind).
            const int Count = 50;
            using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            var buffer = new byte[16];
            for (var i = 0; i < Count; i++)
            {
                await sender.SendToAsync(new byte[] { (byte)i }, new IPEndPoint(IPAddress.Loopback, port));
                await receiver.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(Timeout); // delivered, so tapped on its way in
            }

            var (seen, last) = await Task.Run(() =>
            {
                var frame = new byte[PacketCapture.MaxFrameLength];
                var payloads = new List<byte>();
                while (capture.TryReceive(frame, out var captured))
                {
                    Assert.True(PacketDecoder.TryDecode(frame.AsSpan(0, captured.Length), out var packet));
                    payloads.Add(frame[packet!.PayloadOffset]);
                }

                return (payloads, capture.TryReceive(frame, out _));
            }).WaitAsync(Timeout);

            // Each datagram once (lo shows it going out and coming in; the outgoing copy is skipped), in order.
            Assert.Equal(Enumerable.Range(0, Count).Select(i => (byte)i), seen);
            Assert.False(last);
        }
    }
}
