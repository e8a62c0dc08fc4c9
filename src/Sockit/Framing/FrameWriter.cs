using System.Buffers;
using System.IO.Pipelines;

namespace Sockit.Framing;

/// <summary>
/// Writes frames to a <see cref="PipeWriter"/> (or a <see cref="Stream"/>) with a <see cref="FrameEncoder"/>.
/// <see cref="Write(ReadOnlySpan{byte})"/> only buffers; <see cref="FlushAsync"/> sends, and waits when the
/// pipe is over its pause threshold (backpressure). It owns the writer. Not thread-safe: one writer at a time.
/// </summary>
public sealed class FrameWriter
{
    private readonly PipeWriter _writer;

    /// <summary>Writes frames to <paramref name="writer"/>, which this instance now owns.</summary>
    public FrameWriter(PipeWriter writer, FrameEncoder encoder)
    {
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        Encoder = encoder ?? throw new ArgumentNullException(nameof(encoder));
    }

    /// <summary>Writes frames to <paramref name="stream"/>.</summary>
    public static FrameWriter Create(Stream stream, FrameEncoder encoder, bool leaveOpen = false) =>
        new(PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: leaveOpen)), encoder);

    /// <summary>The encoder in use.</summary>
    public FrameEncoder Encoder { get; }

    /// <summary>Buffers one frame; nothing is sent until <see cref="FlushAsync"/>.</summary>
    /// <exception cref="ArgumentException">The framing cannot carry this payload.</exception>
    public void Write(ReadOnlySpan<byte> payload) => Encoder.Encode(payload, _writer);

    /// <inheritdoc cref="Write(ReadOnlySpan{byte})"/>
    public void Write(in ReadOnlySequence<byte> payload) => Encoder.Encode(payload, _writer);

    /// <summary>
    /// Sends what is buffered. Returns <see langword="false"/> when the other side stopped reading
    /// (the pipe's reader completed), so nothing more should be written.
    /// </summary>
    public async ValueTask<bool> FlushAsync(CancellationToken cancellationToken = default)
    {
        var result = await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        return !result.IsCompleted;
    }

    /// <summary>Buffers one frame and sends it.</summary>
    /// <inheritdoc cref="FlushAsync"/>
    public ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        Write(payload.Span);
        return FlushAsync(cancellationToken);
    }

    /// <summary>Completes the writer: no more frames; for a socket, the peer sees the end of the stream.</summary>
    public ValueTask CompleteAsync(Exception? exception = null) => _writer.CompleteAsync(exception);
}
