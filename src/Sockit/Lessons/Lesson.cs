using System.Text;

namespace Sockit.Lessons;

/// <summary>Small shared helpers of the lessons.</summary>
internal static class Lesson
{
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
