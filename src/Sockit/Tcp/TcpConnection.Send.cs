using System.Buffers;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Sockit.Diagnostics;

namespace Sockit.Tcp;

public sealed partial class TcpConnection
{
    private List<ArraySegment<byte>>? _sendSegments;

    /// <summary>
    /// <see cref="Output"/> → socket. Everything flushed is sent in as few system calls as possible (one
    /// sendmsg for a multi-segment batch); when the application completes <see cref="Output"/> and the queue is
    /// empty, it sends FIN.
    /// </summary>
    private async Task SendLoopAsync()
    {
        var reader = _output.Reader;
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                try
                {
                    if (!buffer.IsEmpty)
                    {
                        _options.Observer?.OnTraffic(RemoteEndPoint, TrafficDirection.Out, _bytesSent, buffer);
                        await SendAsync(buffer).ConfigureAwait(false);
                        Touch();
                        Volatile.Write(ref _lastSent, Environment.TickCount64);
                        Volatile.Write(ref _bytesSent, _bytesSent + buffer.Length);
                        SockitMetrics.BytesSent.Add(buffer.Length);
                    }
                }
                finally
                {
                    reader.AdvanceTo(buffer.End);
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }

            if (!IsAborted)
            {
                _socket.Shutdown(SocketShutdown.Send);
                Log.SentFin(_logger, RemoteEndPoint);
            }
        }
        catch (SocketException ex) when (!IsAborted)
        {
            error = Fail(ex, "send to");
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Aborted or closed by this side: what is still queued is dropped, as Abort promises.
        }
        finally
        {
            await reader.CompleteAsync(error).ConfigureAwait(false);
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
