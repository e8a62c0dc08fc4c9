using System.Buffers;
using System.Text;
using Sockit.Diagnostics;
using Sockit.Framing;
using Sockit.Tcp;

namespace Sockit.Services;

/// <summary>
/// A chat room over <c>line</c> framing: each line a client sends reaches every other client as
/// <c>[HOST:PORT] line</c>, line by line however the bytes were split. A newcomer is greeted with its name,
/// and joins and leaves are announced to the others.
/// </summary>
public sealed class ChatService(FramingOptions? framing = null) : ITcpConnectionHandler
{
    private readonly Fanout _fanout = new(FrameSpec.Line);

    // Makes "join (or leave) and announce" one step: the head count in a notice is then the set of clients the
    // notice goes to. Without it a client joining between another's Join and its Announce was told
    // "joined (1 online)" while it was online itself. Sending only queues, so the lock is brief.
    private readonly Lock _membership = new();

    /// <inheritdoc />
    public async ValueTask HandleAsync(TcpConnection connection, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var name = connection.RemoteEndPoint.ToString();
        var prefix = Encoding.UTF8.GetBytes($"[{name}] ");
        var reader = new FrameReader(connection.Input, FrameSpec.Line.CreateDecoder(framing));
        var line = new ArrayBufferWriter<byte>(256);
        lock (_membership)
        {
            _fanout.Join(connection);
            _fanout.SendTo(connection, Encoding.UTF8.GetBytes($"* welcome {name} ({_fanout.Count} online)"));
            Announce($"* {name} joined ({_fanout.Count} online)", connection);
        }

        try
        {
            while (await reader.ReadFrameAsync(stopping).ConfigureAwait(false))
            {
                SockitMetrics.FramesReceived.Add(1);
                line.ResetWrittenCount();
                line.Write(prefix);
                foreach (var segment in reader.Current)
                {
                    line.Write(segment.Span);
                }

                // Line framing drops one '\r' before '\n', so a client sending "\r\r\n" leaves a line ending in '\r',
                // which line framing cannot carry: the encoder refused it and the sender was disconnected.
                // In a chat a trailing '\r' is noise; it is trimmed.
                var text = line.WrittenMemory;
                while (text.Length > prefix.Length && text.Span[^1] == (byte)'\r')
                {
                    text = text[..^1];
                }

                _fanout.Send(text, except: connection);
            }
        }
        finally
        {
            await _fanout.LeaveAsync(connection).ConfigureAwait(false);
            lock (_membership)
            {
                Announce($"* {name} left ({_fanout.Count} online)", null);
            }
        }
    }

    private void Announce(string notice, TcpConnection? except) => _fanout.Send(Encoding.UTF8.GetBytes(notice), except);
}
