using System.Net.Sockets;
using System.Text;

namespace Sockit.Lessons;

/// <summary>
/// The three-way handshake (三次握手), run for real: a server and a client in one process over 127.0.0.1, each
/// socket call (socket, bind, listen, connect, accept, send, recv, close) with both sockets' TCP states read from
/// the kernel, and, when the process has CAP_NET_RAW, the segments each call caused.
/// </summary>
public static class HandshakeLesson
{
    /// <summary>Runs the lesson; takes well under a second.</summary>
    public static async Task<LessonRun> RunAsync(CancellationToken cancellationToken = default)
    {
        using var sockets = new LessonSockets();
        var capture = LessonCapture.Start(sockets.Port);
        await using var stopCapture = capture.ConfigureAwait(false);
        await sockets.ConnectAndAcceptAsync(cancellationToken).ConfigureAwait(false);

        var sent = await sockets.Client.SendAsync(Encoding.ASCII.GetBytes("hello"), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        sockets.Record("client", "send(b'hello')", $"{sent} (bytes handed to the kernel)");
        var buffer = new byte[1024];
        var n = await sockets.Server!.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        sockets.Record("server", "recv(1024)", Lesson.BytesLiteral(buffer.AsSpan(0, n)));

        sockets.Client.Close();
        sockets.Record("client", "close()", "FIN sent", "the four-way close, step by step: sockit demo close");
        sockets.Server.Close();
        sockets.Record("server", "close()", "FIN sent");
        return new LessonRun(sockets.Steps, await capture.StopTraceAsync(cancellationToken).ConfigureAwait(false), capture.Status);
    }
}
