using System.Buffers;
using System.IO.Pipelines;
using Sockit.Diagnostics;
using Sockit.Framing;
using Sockit.Connections;

namespace Sockit.Services;

/// <summary>
/// Returns each frame to its sender (in <c>raw</c>, bytes as they come). Every frame is decoded, so the limits
/// and the bad-frame policy hold, and all whole frames that arrived together go back with one flush: a
/// pipelining client costs one send per read, not one per frame.
/// </summary>
/// <remarks>
/// Under <see cref="BadFramePolicy.Close"/> (the default) the bytes of the whole frames are copied back as they
/// came, in one piece, instead of being re-encoded frame by frame (measured: pipelined 32 B length frames
/// 0.57 → 0.86 of a C epoll server). Under <see cref="BadFramePolicy.Skip"/>, and for <c>line</c>, each frame is
/// re-encoded, so the bytes of a discarded frame never go back.
/// </remarks>
public sealed class EchoService(FrameSpec spec, FramingOptions? framing = null) : IConnectionHandler
{
    private readonly FrameEncoder _encoder = spec.CreateEncoder();
    // Copying bytes is the same as re-encoding when a frame's bytes are canonical: true of every framing but
    // line, whose decoder drops a '\r' before the '\n' (the echo then sends the line back ending in "\n").
    private readonly bool _copyThrough = (framing ?? FramingOptions.Default).OnBadFrame == BadFramePolicy.Close
        && spec.Kind != FrameKind.Line;

    /// <inheritdoc />
    public async ValueTask HandleAsync(Connection connection, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var decoder = spec.CreateDecoder(framing);
        var input = connection.Input;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(stopping).ConfigureAwait(false);
                var rest = result.Buffer;
                FrameStatus status;
                try
                {
                    status = EchoWholeFrames(decoder, ref rest, connection.Output, connection.Metrics);
                }
                finally
                {
                    input.AdvanceTo(rest.Start, rest.End);
                }

                // What was valid goes back before a bad frame ends the connection.
                var flush = await connection.Output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                if (status == FrameStatus.Invalid)
                {
                    throw new FrameException(decoder.Error!);
                }

                if (flush.IsCompleted)
                {
                    return; // The peer is gone.
                }

                if (result.IsCompleted)
                {
                    var end = decoder.CheckEndOfStream(rest);
                    if (end is not null)
                    {
                        throw new FrameException(end);
                    }

                    return;
                }
            }
        }
        finally
        {
            connection.Metrics.BadFrames.Add(decoder.SkippedFrames);
        }
    }

    /// <summary>Decodes every whole frame at the front of <paramref name="buffer"/> and writes them back.</summary>
    private FrameStatus EchoWholeFrames(FrameDecoder decoder, ref ReadOnlySequence<byte> buffer, PipeWriter output, SockitMetrics metrics)
    {
        var whole = buffer;
        var frames = 0;
        FrameStatus status;
        while ((status = decoder.Decode(ref buffer, out var frame)) == FrameStatus.Frame)
        {
            frames++;
            if (!_copyThrough)
            {
                _encoder.Encode(frame, output);
            }
        }

        if (_copyThrough)
        {
            foreach (var segment in whole.Slice(0, buffer.Start))
            {
                output.Write(segment.Span);
            }
        }

        metrics.FramesReceived.Add(frames);
        metrics.FramesSent.Add(frames);
        return status;
    }
}
