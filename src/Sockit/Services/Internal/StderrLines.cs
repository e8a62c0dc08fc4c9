using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace Sockit.Services.Internal;

/// <summary>A child's stderr to a <see cref="TextWriter"/>, one line at a time, each behind a prefix naming the peer.</summary>
internal static class StderrLines
{
    /// <summary>A line longer than this (bytes) is written in pieces of this size: memory stays bounded whatever the child writes.</summary>
    public const int MaxLine = 8 * 1024;

    /// <summary>Copies until the end of <paramref name="stderr"/> or cancellation; a last line without <c>\n</c> is written too.</summary>
    public static async Task PumpAsync(Stream stderr, string prefix, TextWriter writer, CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(stderr, new StreamPipeReaderOptions(bufferSize: 4096, leaveOpen: true));
        try
        {
            while (true)
            {
                // Written to the console off the socket's I/O thread (inline completions): a slow terminal stalls only this.
                var result = await reader.ReadAsync(cancellationToken).AsTask().ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
                var buffer = result.Buffer;
                try
                {
                    while (TryTakeLine(ref buffer, out var line))
                    {
                        Write(writer, prefix, line);
                    }

                    if (result.IsCompleted && !buffer.IsEmpty)
                    {
                        Write(writer, prefix, buffer);
                        buffer = buffer.Slice(buffer.End);
                    }
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                }

                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // Stopped by the bridge (the child is gone and someone it left behind holds stderr), or the pipe failed.
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static bool TryTakeLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        if (buffer.PositionOf((byte)'\n') is { } end)
        {
            line = buffer.Slice(0, end);
            buffer = buffer.Slice(buffer.GetPosition(1, end));
            return true;
        }

        if (buffer.Length >= MaxLine)
        {
            line = buffer.Slice(0, MaxLine);
            buffer = buffer.Slice(MaxLine);
            return true;
        }

        line = default;
        return false;
    }

    private static void Write(TextWriter writer, string prefix, in ReadOnlySequence<byte> line) =>
        writer.WriteLine(prefix + Encoding.UTF8.GetString(line).TrimEnd('\r'));
}
