using System.Net;
using System.Net.Sockets;
using System.Text;
using Sockit.Capture;

namespace Sockit.Lessons;

/// <summary>
/// The layers (OSI七层模型 / 四层模型) in one real packet: a client sends a short message over 127.0.0.1 and the
/// segment that carried it is captured and taken apart: Ethernet, IP, TCP, then the application's bytes. Without
/// CAP_NET_RAW only the application layer is shown, which is all the socket calls ever see.
/// </summary>
public static class LayersLesson
{
    /// <summary>The message sent.</summary>
    public const string Message = "hello";

    /// <summary>Runs the lesson; takes well under a second.</summary>
    public static async Task<LayersRun> RunAsync(CancellationToken cancellationToken = default)
    {
        using var listener = Lesson.LoopbackListener();
        var capture = LessonCapture.Start(Lesson.Port(listener));
        await using (capture.ConfigureAwait(false))
        {
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(listener.LocalEndPoint!, cancellationToken).ConfigureAwait(false);
            using var server = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            var bytes = Encoding.ASCII.GetBytes(Message);
            await client.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            var received = new byte[1024];
            var n = await server.ReceiveAsync(received, SocketFlags.None, cancellationToken).ConfigureAwait(false);

            var packets = await capture.StopAsync(cancellationToken).ConfigureAwait(false);
            var data = packets.FirstOrDefault(p => p.Packet.PayloadLength > 0);
            if (data.Frame is null)
            {
                // What the application sees: its own bytes, no headers.
                var application = new LayerSection("application", "data", 0, n, [new("bytes", n.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("as text", $"\"{Encoding.ASCII.GetString(received, 0, n)}\"")]);
                return new LayersRun(capture.Status, Message, null, [application]);
            }

            return new LayersRun(capture.Status, Message, data.Frame, PacketLayers.Describe(data.Frame, data.Packet));
        }
    }
}
