using System.Buffers;
using System.IO.Pipelines;
using Sockit.Framing;

namespace Sockit.Services;

/// <summary>
/// Cuts what a person types (stdin) into messages to send: for <c>raw</c>, chunks as they are read; for every
/// other framing, one message per line (a final line without <c>\n</c> still counts, as in every shell tool).
/// </summary>
public static class InputFrames
{
    /// <summary>
    /// Reads <paramref name="input"/> to its end, calling <paramref name="onFrame"/> with each message. The
    /// payload is valid only during the call.
    /// </summary>
    public static async Task ReadAllAsync(Stream input, FrameSpec spec, Func<ReadOnlySequence<byte>, ValueTask> onFrame, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(onFrame);
        var decoder = (spec.Kind == FrameKind.Raw ? FrameSpec.Raw : FrameSpec.Line)
            .CreateDecoder(new FramingOptions { MaxFrameSize = int.MaxValue - 64 });
        var reader = PipeReader.Create(input, new StreamPipeReaderOptions(bufferSize: 64 << 10, leaveOpen: true));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (decoder.Decode(ref buffer, out var frame) == FrameStatus.Frame)
                {
                    await onFrame(frame).ConfigureAwait(false);
                }

                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty)
                    {
                        await onFrame(TrimCarriageReturn(buffer)).ConfigureAwait(false);
                    }

                    reader.AdvanceTo(buffer.End);
                    return;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static ReadOnlySequence<byte> TrimCarriageReturn(ReadOnlySequence<byte> line) =>
        line.Slice(line.Length - 1).FirstSpan[0] == (byte)'\r' ? line.Slice(0, line.Length - 1) : line;
}
