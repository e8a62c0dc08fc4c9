using System.Buffers;
using System.Net.Sockets;
using Sockit.Diagnostics;

namespace Sockit.Connections;

public sealed partial class SocketConnection
{
    /// <summary>
    /// Socket → <see cref="Input"/>. Waits (and so stops reading the socket) when the input is full or the memory
    /// budget is spent. Never throws: its end, whatever the cause, completes <see cref="Input"/> (with the error).
    /// </summary>
    private async Task ReceiveLoopAsync()
    {
        var writer = _pipes.Input.Writer;
        var receiveSize = _options.MinimumReceiveSize;
        var moreWaiting = false;
        Exception? error = null;
        try
        {
            while (true)
            {
                if (!moreWaiting)
                {
                    // Wait until the socket is readable without holding a buffer (Kestrel's zero-byte read): an
                    // idle connection then costs no memory.
                    await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                }

                // Past the budget, a connection that already holds buffers waits for room; one that holds none (a
                // client that keeps up) may still read one buffer, so it is not stalled by those that do not.
                // The frame clock keeps running meanwhile: slowlorises that fill the budget must not shield themselves.
                if (_options.MemoryBudget is { IsExhausted: true } budget && _pipes.Pool.Held > 0)
                {
                    await budget.WaitForRoomAsync().AsTask().WaitAsync(SocketClosingToken).ConfigureAwait(false);
                }

                // After a read that filled its buffer, ask for a whole (adaptive) buffer: more is queued in the
                // kernel. Otherwise take whatever room the current segment has left, so a frame trickled in one
                // byte per packet fills segments instead of renting one per byte.
                var memory = writer.GetMemory(moreWaiting ? receiveSize : 1);
                var received = await _socket.ReceiveAsync(memory, SocketFlags.None).ConfigureAwait(false);
                if (received == 0)
                {
                    // A reset the send loop met first (it takes the socket's one pending error, ECONNRESET or EPIPE)
                    // leaves recv returning 0 after it: that is the reset, not a clean FIN, and must end Input so.
                    if (CloseReason is { Kind: CloseReasonKind.Reset } reset)
                    {
                        error = reset.Exception ?? new IOException(reset.Message);
                        break;
                    }

                    // Our own close (Shutdown(Both) in CloseSocket) also ends a pending recv with 0: that is not the
                    // peer's FIN, and -v must not say it was (connect --idle-timeout closes while a recv is pending).
                    lock (_gate)
                    {
                        if (_socketClosed)
                        {
                            break;
                        }
                    }

                    // recv returned 0: the peer sent FIN. Our output may still be sent.
                    // Not yet a close reason: a handler may still fail on what it read (a truncated frame).
                    Log.ReceivedFin(_logger, this);
                    _receivedFin = true;
                    break;
                }

                moreWaiting = received == memory.Length;
                receiveSize = NextReceiveSize(receiveSize, received, memory.Length);
                Touch();
                _metrics.BytesReceived.Add(received);
                var flush = await _pipes.DeliverAsync(this, memory[..received]).ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break; // The application stopped reading, or the connection was aborted.
                }
            }
        }
        catch (SocketException ex) when (!IsClosing)
        {
            error = Fail(ex, "receive from");
        }
        catch (Exception ex) when (IsClosing && ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Aborted or closed by this side: reads simply end.
        }
        catch (Exception ex)
        {
            // Anything else (an observer that threw) ends the connection, with the error, instead of leaking it.
            error = Fail(ex, "the receive loop");
            Abort(CloseReasonKind.Error, ex.Message, ex);
        }
        finally
        {
            try
            {
                await writer.CompleteAsync(error).ConfigureAwait(false);
            }
            finally
            {
                LoopEnded();
            }
        }
    }

    /// <summary>
    /// Doubles the receive size after a read that filled a buffer at least that large, halves it after one that
    /// used less than a quarter of it, within the options' bounds.
    /// </summary>
    private int NextReceiveSize(int current, int received, int offered) =>
        received >= offered && offered >= current ? Math.Min(current * 2, Math.Max(_options.MaximumReceiveSize, _options.MinimumReceiveSize))
        : received < current / 4 ? Math.Max(current / 2, _options.MinimumReceiveSize)
        : current;
}
