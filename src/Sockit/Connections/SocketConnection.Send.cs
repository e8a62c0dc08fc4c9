using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Sockit.Diagnostics;

namespace Sockit.Connections;

public sealed partial class SocketConnection
{
    private List<ArraySegment<byte>>? _sendSegments;

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
            finished = await _pipes.DrainOutputAsync(this, SendPieceAsync).ConfigureAwait(false);
            if (finished && !IsClosing)
            {
                _socket.Shutdown(SocketShutdown.Send);
                Log.SentFin(_logger, this);
            }
        }
        catch (SocketException ex) when (!IsClosing)
        {
            error = Fail(ex, "send to");
        }
        catch (Exception ex) when (IsClosing && ex is SocketException or ObjectDisposedException)
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

            await _pipes.Output.Reader.CompleteAsync(error).ConfigureAwait(false);
        }
    }

    private async ValueTask SendPieceAsync(ReadOnlySequence<byte> piece)
    {
        await SendAsync(piece).ConfigureAwait(false);
        Touch();
        Volatile.Write(ref _lastSent, Environment.TickCount64);
        SockitMetrics.BytesSent.Add(piece.Length);
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
