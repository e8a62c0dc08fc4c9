using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;

namespace Sockit.Load;

internal sealed partial class EchoConnection
{
    // Keeps the window full: every free slot goes into one buffer and out with one send.
    private async Task SendLoopAsync()
    {
        try
        {
            var frame = _next.Bytes.Length;
            var digits = _next.SequenceOffset;
            while (!_phase.Stopping && !_receiverDone)
            {
                var sent = _sent;
                var inFlight = sent - Volatile.Read(ref _completed);
                var ringRoom = _sendTimes.Length - (sent - Volatile.Read(ref _low));
                var room = (int)Math.Min(Math.Min(_depth - inFlight, ringRoom), _batchFrames);
                if (room <= 0)
                {
                    await _windowOpened.WaitAsync().ConfigureAwait(false);
                    continue;
                }

                var now = Stopwatch.GetTimestamp();
                for (var i = 0; i < room; i++)
                {
                    _next.SequenceDigits.CopyTo(_sendBuffer.AsSpan((i * frame) + digits));
                    _next.Increment();
                    _sendTimes[(sent + i) & _mask] = now;
                }

                // Published before the bytes leave, so a reply can never name a sequence the receiver thinks unsent.
                Volatile.Write(ref _sent, sent + room);
                await _stream.WriteAsync(_sendBuffer.AsMemory(0, room * frame)).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            Fail(Describe(ex));
        }
        finally
        {
            _senderDone = true;
            await ShutdownSendAsync().ConfigureAwait(false);
        }
    }

    // FIN after the last message (over TLS, close_notify first): an echo server closes in turn, which ends a receive
    // loop waiting on an empty window.
    private async Task ShutdownSendAsync()
    {
        try
        {
            if (_stream is SslStream ssl)
            {
                // OpenSSL 3 fails a session that receives application data after it has sent close_notify
                // ("application data after close notify", SSL_R_APPLICATION_DATA_AFTER_CLOSE_NOTIFY), so
                // close_notify waits until every reply is in, or the receive loop has ended. The receive loop wakes
                // this signal after every read.
                while (!_receiverDone && Volatile.Read(ref _completed) != _sent)
                {
                    await _windowOpened.WaitAsync().ConfigureAwait(false);
                }

                await ssl.ShutdownAsync().ConfigureAwait(false);
            }

            _socket.Shutdown(SocketShutdown.Send);
        }
#pragma warning disable CA1031 // whatever the half-close meets (reset, aborted, a TLS error), the receive loop reports
        catch (Exception)
#pragma warning restore CA1031
        {
            // Already closed or reset: the receive loop reports what happened.
        }
    }
}
