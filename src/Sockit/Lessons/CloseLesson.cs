using System.Net.Sockets;
using System.Text;
using Sockit.Capture;

namespace Sockit.Lessons;

/// <summary>
/// The four-way close (四次挥手), run for real over 127.0.0.1: the client closes first (FIN_WAIT_1, then FIN_WAIT_2
/// once its FIN is acknowledged), the server sees CLOSE_WAIT and <c>recv</c> returning empty, closes in turn, and
/// the client waits in TIME_WAIT; every state read from the kernel. Then what a send to a peer that has gone does
/// (the course's BrokenPipeError). With <c>reset</c>, the client closes with unread data: the kernel sends RST
/// instead of FIN, and the server's <c>recv</c> fails with "connection reset by peer".
/// </summary>
public static class CloseLesson
{
    private static readonly TimeSpan StateWait = TimeSpan.FromSeconds(2);

    /// <summary>Runs the lesson; takes well under a second (the delayed ACK of a FIN takes about 40 ms on Linux).</summary>
    public static async Task<LessonRun> RunAsync(bool reset = false, CancellationToken cancellationToken = default)
    {
        using var sockets = new LessonSockets();
        var capture = LessonCapture.Start(sockets.Port);
        await using var stopCapture = capture.ConfigureAwait(false);
        await sockets.ConnectAndAcceptAsync(cancellationToken).ConfigureAwait(false);
        var client = sockets.Client;
        var server = sockets.Server!;
        var buffer = new byte[1024];

        await client.SendAsync(Encoding.ASCII.GetBytes("hello"), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        sockets.Record("client", "send(b'hello')", "5");
        var n = await server.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        sockets.Record("server", "recv(1024)", Lesson.BytesLiteral(buffer.AsSpan(0, n)));

        if (reset)
        {
            await ResetAsync(sockets, buffer, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await CloseAsync(sockets, buffer, cancellationToken).ConfigureAwait(false);
            await BrokenPipeAsync(sockets, cancellationToken).ConfigureAwait(false);
        }

        return new LessonRun(sockets.Steps, await capture.StopTraceAsync(cancellationToken).ConfigureAwait(false), capture.Status);
    }

    private static async Task CloseAsync(LessonSockets sockets, byte[] buffer, CancellationToken cancellationToken)
    {
        sockets.Client.Close();
        sockets.Record("client", "close()", "FIN sent",
            "close 1/4: the client's FIN is on its way; until it is acknowledged the client is in FIN_WAIT_1, and the server, which got the FIN, is in CLOSE_WAIT");
        if (await sockets.WaitForStatesAsync((c, _) => c != TcpState.FinWait1, StateWait, cancellationToken).ConfigureAwait(false))
        {
            sockets.Record("client", "(waits)", "its FIN is acknowledged",
                "close 2/4: the server's kernel acknowledged the FIN (Linux delays that ACK about 40 ms, hoping to send it with data): FIN_WAIT_2, half closed");
        }

        var n = await sockets.Server!.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        sockets.Record("server", "recv(1024)", Lesson.BytesLiteral(buffer.AsSpan(0, n)),
            "recv returns empty (b''): the peer has closed; the server's loop ends here");
        sockets.Server.Close();
        await sockets.WaitForStatesAsync((c, s) => c == TcpState.TimeWait && s == TcpState.Closed, StateWait, cancellationToken).ConfigureAwait(false);
        sockets.Record("server", "close()", "FIN sent",
            "close 3/4 and 4/4: the server's FIN (LAST_ACK lasts until the client's ACK, microseconds on loopback), the client acknowledges and waits in TIME_WAIT (60 s on Linux) so that late segments of this connection die out");
    }

    private static async Task BrokenPipeAsync(LessonSockets sockets, CancellationToken cancellationToken)
    {
        // A second connection: the server goes away, the client keeps sending.
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(sockets.Listener.LocalEndPoint!, cancellationToken).ConfigureAwait(false);
        using (var server = await sockets.Listener.AcceptAsync(cancellationToken).ConfigureAwait(false))
        {
            server.Close();
        }

        sockets.RecordOther("server", "close()  (a second connection)", "FIN sent", "the server of a second connection closes at once; its client does not notice and sends");
        var first = Send(client);
        sockets.RecordOther("client", "send(b'late')", first,
            "the first send succeeds: the kernel took the bytes; the server's kernel, which has no socket for them any more, answers RST");
        var deadline = DateTime.UtcNow + StateWait;
        var second = Send(client);
        while (second == "4" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(2, cancellationToken).ConfigureAwait(false); // the RST has not arrived yet
            second = Send(client);
        }

        sockets.RecordOther("client", "send(b'late')", second, "once the RST has come back, a send fails: Python raises BrokenPipeError (EPIPE)");
    }

    private static async Task ResetAsync(LessonSockets sockets, byte[] buffer, CancellationToken cancellationToken)
    {
        await sockets.Server!.SendAsync(Encoding.ASCII.GetBytes("unread"), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        await sockets.WaitForStatesAsync((_, _) => sockets.Client.Available > 0, StateWait, cancellationToken).ConfigureAwait(false);
        sockets.Record("server", "send(b'unread')", "6", "the client never reads these 6 bytes");
        sockets.Client.Close();
        await sockets.WaitForStatesAsync((_, s) => s == TcpState.Closed, StateWait, cancellationToken).ConfigureAwait(false);
        sockets.Record("client", "close()  (with 6 bytes unread)", "RST sent",
            "closing with unread data is an abort (RFC 9293 section 3.6, RFC 2525): the kernel sends RST, not FIN; both sockets are gone at once, no TIME_WAIT");
        string result;
        try
        {
            var n = await sockets.Server.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            result = Lesson.BytesLiteral(buffer.AsSpan(0, n));
        }
        catch (SocketException ex)
        {
            result = Lesson.Describe(ex);
        }

        sockets.Record("server", "recv(1024)", result, "after a RST, recv raises ConnectionResetError (ECONNRESET) instead of returning empty");
    }

    private static string Send(Socket client)
    {
        try
        {
            return client.Send("late"u8).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (SocketException ex)
        {
            return Lesson.Describe(ex);
        }
    }
}
