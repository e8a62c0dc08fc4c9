using System.Text;

namespace Sockit.Lessons;

/// <summary>Small shared helpers of the lessons.</summary>
internal static class Lesson
{
    /// <summary>A TCP socket listening on 127.0.0.1 at a port the kernel picks; the receive buffer is set before listen, so accepted sockets inherit it.</summary>
    public static System.Net.Sockets.Socket LoopbackListener(int backlog = 1, int? receiveBufferSize = null)
    {
        var listener = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        try
        {
            if (receiveBufferSize is { } size)
            {
                listener.ReceiveBufferSize = size;
            }

            listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
            listener.Listen(backlog);
            return listener;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>The local port a socket is bound to.</summary>
    public static int Port(System.Net.Sockets.Socket socket) => ((System.Net.IPEndPoint)socket.LocalEndPoint!).Port;

    /// <summary>Bytes as Python prints them: <c>b'hello'</c>, with <c>\xHH</c> for what is not printable ASCII.</summary>
    public static string BytesLiteral(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder("b'", bytes.Length + 3);
        foreach (var b in bytes)
        {
            text.Append(b switch
            {
                (byte)'\'' => "\\'",
                (byte)'\\' => "\\\\",
                >= 0x20 and < 0x7F => ((char)b).ToString(),
                _ => $"\\x{b:x2}",
            });
        }

        return text.Append('\'').ToString();
    }

    /// <summary>A socket error as the course's Python would name it: <c>error: EPIPE (BrokenPipeError)</c>.</summary>
    public static string Describe(System.Net.Sockets.SocketException ex) => ex.SocketErrorCode switch
    {
        System.Net.Sockets.SocketError.Shutdown => "error: EPIPE, broken pipe (BrokenPipeError)",
        System.Net.Sockets.SocketError.ConnectionReset => "error: ECONNRESET, connection reset by peer (ConnectionResetError)",
        _ => $"error: {ex.SocketErrorCode} ({ex.Message})",
    };
}
