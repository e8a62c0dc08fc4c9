using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Sockit.Connections.Internal;
using Sockit.Diagnostics;

namespace Sockit.Connections;

public sealed partial class SocketConnection
{
    private List<ArraySegment<byte>>? _sendSegments;
    private volatile bool _sentFin;

    /// <summary>
    /// <see cref="Output"/> → socket. Everything flushed is sent in as few system calls as possible (one
    /// sendmsg for a multi-segment batch); when the application completes <see cref="Output"/> and the queue is
    /// empty, it sends FIN. Never throws: its end completes <see cref="Output"/>'s reader (with the error), and
    /// whatever was queued and not sent is counted in <see cref="BytesDropped"/>.
    /// </summary>
    private async Task SendLoopAsync()
    {
        Exception? error = null;
        var finished = false;
        try
        {
            finished = await _pipes.DrainOutputAsync(this).ConfigureAwait(false);

            // After the peer's reset there is no connection to half-close: no FIN, and -v must not claim one.
            if (finished && !IsClosing && CloseReason is not { Kind: CloseReasonKind.Reset })
            {
                _socket.Shutdown(SocketShutdown.Send);
                _sentFin = true;
                Log.SentFin(_logger, this);
                await AwaitTakenAsync().ConfigureAwait(false);
            }
        }
        catch (SocketException ex) when (!IsClosing)
        {
            error = Fail(ex, "send to");
        }
        catch (ConnectionException ex) when (ex.Kind == ConnectionErrorKind.TimedOut)
        {
            // What was sent may not have arrived: the peer is told with a reset, the application by the reason.
            error = ex;
            Abort(CloseReasonKind.Error, ex.Message, ex);
        }
        catch (Exception ex) when (IsClosing && ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Aborted or closed by this side: what is still queued is dropped, as Abort promises.
        }
        catch (Exception ex)
        {
            error = Fail(ex, "the send loop");
            Abort(CloseReasonKind.Error, ex.Message, ex);
        }
        finally
        {
            if (!finished)
            {
                _pipes.CountDropped();
            }

            try
            {
                await _pipes.Output.Reader.CompleteAsync(error).ConfigureAwait(false);
            }
            finally
            {
                LoopEnded();
            }
        }
    }

    /// <summary>
    /// After FIN, waits until the peer has taken everything sent (<see cref="SendQueue"/>), polling from 1 ms up to
    /// every 100 ms. A peer that closes without reading resets the connection (its kernel answers our data with RST),
    /// and the reset is thrown here: once the socket is closed it could no longer be heard, and the data would be lost
    /// silently. Throws a <see cref="ConnectionException"/> (<see cref="ConnectionErrorKind.TimedOut"/>) when nothing is taken for
    /// <see cref="ConnectionOptions.AcknowledgementTimeout"/>.
    /// </summary>
    private async Task AwaitTakenAsync()
    {
        var timeout = _options.AcknowledgementTimeout;
        var smallest = long.MaxValue;
        var progressAt = Environment.TickCount64;
        for (var delay = 1; ; delay = Math.Min(delay * 2, 100))
        {
            // First what the peer has not taken, then SO_ERROR: a peer that closes unread frees our queue only after it
            // records the reset there. SO_ERROR holds a reset that came after the last send (reading it clears it).
            var unconfirmed = SendQueue.Unconfirmed(_socket) ?? 0;
            var error = (SocketError)(int)_socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
            if (error != SocketError.Success)
            {
                throw new SocketException((int)error);
            }

            // The receive loop may have met the reset first; then it is already reported.
            if (unconfirmed == 0 || CloseReason is { Kind: CloseReasonKind.Reset or CloseReasonKind.Error })
            {
                return;
            }

            var now = Environment.TickCount64;
            if (unconfirmed < smallest)
            {
                (smallest, progressAt) = (unconfirmed, now);
            }
            else if (timeout != Timeout.InfiniteTimeSpan && now - progressAt > timeout.TotalMilliseconds)
            {
                throw new ConnectionException(ConnectionErrorKind.TimedOut, RemoteEndPoint.ToString() ?? "?",
                    $"the peer took nothing more of what was sent for {timeout.TotalSeconds:0.###} s after our FIN: it may not have arrived");
            }

            await Task.Delay(delay, SocketClosingToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    internal override async ValueTask SendPieceAsync(ReadOnlySequence<byte> piece)
    {
        await SendAsync(piece).ConfigureAwait(false);
        Touch();
        Volatile.Write(ref _lastSent, _options.Clock.Milliseconds());
        _metrics.BytesSent.Add(piece.Length);
    }

    private async ValueTask SendAsync(ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsSingleSegment)
        {
            var memory = buffer.First;
            while (!memory.IsEmpty)
            {
                var sent = await _socket.SendAsync(memory, SocketFlags.None).ConfigureAwait(false);
                memory = memory[sent..];
            }

            return;
        }

        // Gather the segments into one sendmsg; pipe memory is array-backed, so no copy is needed.
        var segments = _sendSegments ??= new List<ArraySegment<byte>>(16);
        segments.Clear();
        foreach (var segment in buffer)
        {
            if (!MemoryMarshal.TryGetArray(segment, out var array))
            {
                segments.Clear();
                foreach (var piece in buffer)
                {
                    await SendAsync(new ReadOnlySequence<byte>(piece)).ConfigureAwait(false);
                }

                return;
            }

            segments.Add(array);
        }

        var total = await _socket.SendAsync(segments, SocketFlags.None).ConfigureAwait(false);
        if (total < buffer.Length)
        {
            await SendAsync(buffer.Slice(total)).ConfigureAwait(false);
        }
    }
}
