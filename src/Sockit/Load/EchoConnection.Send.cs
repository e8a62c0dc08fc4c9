using System.Net.Sockets;

namespace Sockit.Load;

internal sealed partial class EchoConnection
{
    // Keeps the window full: every free slot is encoded into one buffer and written with one send.
    private async Task SendLoopAsync()
    {
        try
        {
            while (!_phase.Stopping && !_receiverDone)
            {
                var sent = _sent;
                var inFlight = sent - Volatile.Read(ref _completed);
                var ringRoom = _sendTimes.Length - (sent - Volatile.Read(ref _low));
                var room = (int)Math.Min(_depth - inFlight, ringRoom);
                if (room <= 0)
                {
                    await _windowOpened.WaitAsync().ConfigureAwait(false);
                    continue;
                }

                _sendBuffer.ResetWrittenCount();
                var now = System.Diagnostics.Stopwatch.GetTimestamp();
                for (var sequence = sent; sequence < sent + room; sequence++)
                {
                    _encoder.Encode(_message, _sendBuffer);
                    EchoMessage.IncrementSequence(_message);
                    _sendTimes[sequence & _mask] = now;
                }

                // Published before the bytes leave, so a reply can never name a sequence the receiver thinks unsent.
                Volatile.Write(ref _sent, sent + room);
                var pending = _sendBuffer.WrittenMemory;
                while (!pending.IsEmpty)
                {
                    var n = await _socket.SendAsync(pending, SocketFlags.None).ConfigureAwait(false);
                    pending = pending[n..];
                }
            }
        }
        catch (Exception ex)
        {
            Fail(Describe(ex));
        }
        finally
        {
            _senderDone = true;
            ShutdownSend();
        }
    }

    // FIN after the last message: an echo server closes in turn, which ends a receive loop waiting on an empty window.
    private void ShutdownSend()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed or reset: the receive loop reports what happened.
        }
    }
}
