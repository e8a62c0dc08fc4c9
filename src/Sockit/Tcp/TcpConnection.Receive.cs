using System.Buffers;
using System.Net.Sockets;
using Sockit.Diagnostics;

namespace Sockit.Tcp;

public sealed partial class TcpConnection
{
    /// <summary>Socket → <see cref="Input"/>. Waits (and so stops reading the socket) when the input is full.</summary>
    private async Task ReceiveLoopAsync()
    {
        var writer = _input.Writer;
        var receiveSize = _options.MinimumReceiveSize;
        Exception? error = null;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(receiveSize);
                var received = await _socket.ReceiveAsync(memory, SocketFlags.None).ConfigureAwait(false);
                receiveSize = NextReceiveSize(receiveSize, received, memory.Length);
                if (received == 0)
                {
                    // recv returned 0: the peer sent FIN. Our output may still be sent.
                    // Not yet a close reason: a handler may still fail on what it read (a truncated frame).
                    Log.ReceivedFin(_logger, RemoteEndPoint);
                    _receivedFin = true;
                    break;
                }

                writer.Advance(received);
                Touch();
                _options.Observer?.OnTraffic(RemoteEndPoint, TrafficDirection.In, _bytesReceived, new ReadOnlySequence<byte>(memory[..received]));
                Volatile.Write(ref _bytesReceived, _bytesReceived + received);
                SockitMetrics.BytesReceived.Add(received);

                var flush = await writer.FlushAsync().ConfigureAwait(false);
                if (flush.IsCompleted)
                {
                    break; // The application stopped reading.
                }
            }
        }
        catch (SocketException ex) when (!IsAborted)
        {
            error = Fail(ex, "receive from");
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Aborted or closed by this side: reads simply end.
        }
        finally
        {
            await writer.CompleteAsync(error).ConfigureAwait(false);
        }
    }

    /// <summary>Doubles the receive size after a read that filled the buffer, halves it after one that used a quarter.</summary>
    private int NextReceiveSize(int current, int received, int offered) =>
        received >= offered ? Math.Min(current * 2, Math.Max(_options.MaximumReceiveSize, _options.MinimumReceiveSize))
        : received < offered / 4 ? Math.Max(current / 2, _options.MinimumReceiveSize)
        : current;
}
