using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Sockit.Diagnostics;

namespace Sockit.Connections;

public sealed partial class SocketConnection
{
    // The most one send call is given: 256 KiB is a few system calls per MiB for bulk transfers, and a slow reader's
    // progress still shows within a second or so.
    private const int SendPieceBytes = 256 << 10;

    private List<ArraySegment<byte>>? _sendSegments;

    /// <summary>
    /// <see cref="Output"/> → socket. Everything flushed is sent in as few system calls as possible (one
    /// sendmsg for a multi-segment batch); when the application completes <see cref="Output"/> and the queue is
    /// empty, it sends FIN. Never throws: its end completes <see cref="Output"/>'s reader (with the error), and
    /// whatever was queued and not sent is counted in <see cref="BytesDropped"/>.
    /// </summary>
    private async Task SendLoopAsync()
    {
        var reader = _output.Reader;
        Exception? error = null;
        var finished = false;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                if (result.IsCanceled)
                {
                    reader.AdvanceTo(buffer.Start);
                    break; // Aborted: what is queued is dropped (counted below).
                }

                var sentUpTo = buffer.Start;
                try
                {
                    if (!buffer.IsEmpty)
                    {
                        _options.Observer?.OnTraffic(this, TrafficDirection.Out, _bytesSent, buffer);
                        _sending = true;

                        // In pieces, so progress is seen while a slow reader drains a large batch: the slow-consumer
                        // and memory-budget rules cut only connections that stopped draining.
                        var rest = buffer;
                        while (!rest.IsEmpty)
                        {
                            var piece = rest.Length <= SendPieceBytes ? rest : rest.Slice(0, SendPieceBytes);
                            await SendAsync(piece).ConfigureAwait(false);
                            sentUpTo = piece.End;
                            rest = rest.Slice(sentUpTo);
                            Touch();
                            Volatile.Write(ref _lastSent, Environment.TickCount64);
                            Volatile.Write(ref _bytesSent, _bytesSent + piece.Length);
                            SockitMetrics.BytesSent.Add(piece.Length);
                        }

                        _sending = false;
                    }
                }
                finally
                {
                    reader.AdvanceTo(sentUpTo);
                }

                if (result.IsCompleted)
                {
                    finished = true;
                    break;
                }
            }

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
            _sending = false;
            if (!finished)
            {
                CountDropped(reader);
            }

            await reader.CompleteAsync(error).ConfigureAwait(false);
        }
    }

    /// <summary>Counts what is left in the output, never to be sent.</summary>
    private void CountDropped(PipeReader reader)
    {
        if (reader.TryRead(out var rest))
        {
            Volatile.Write(ref _bytesDropped, rest.Buffer.Length);
            reader.AdvanceTo(rest.Buffer.End);
        }
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
