using System.Buffers;
using System.IO.Pipelines;

namespace Sockit.Framing;

/// <summary>
/// Reads frames from a <see cref="PipeReader"/> (or a <see cref="Stream"/>) with a <see cref="FrameDecoder"/>.
/// It owns the reader: <see cref="CompleteAsync"/> completes it. Not thread-safe: one reader loop at a time.
/// </summary>
/// <remarks>
/// <para><see cref="Current"/> is a slice of the pipe's own memory, copied nowhere. It stays valid until the next
/// call to <see cref="TryReadFrame"/>, <see cref="ReadFrameAsync"/> or <see cref="CompleteAsync"/>; copy it
/// (<c>ToArray()</c>) to keep it longer.</para>
/// <para>Several frames that arrived in one read are returned one by one without touching the pipe, so a
/// caller can handle a batch with <see cref="TryReadFrame"/> and flush its replies once.</para>
/// </remarks>
public sealed class FrameReader
{
    private readonly PipeReader _reader;
    private ReadOnlySequence<byte> _buffer;
    private bool _holding;
    private bool _completed;

    /// <summary>Reads frames from <paramref name="reader"/>, which this instance now owns.</summary>
    public FrameReader(PipeReader reader, FrameDecoder decoder)
    {
        _reader = reader ?? throw new ArgumentNullException(nameof(reader));
        Decoder = decoder ?? throw new ArgumentNullException(nameof(decoder));
    }

    /// <summary>Reads frames from <paramref name="stream"/>.</summary>
    public static FrameReader Create(Stream stream, FrameDecoder decoder, bool leaveOpen = false) =>
        new(PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: leaveOpen)), decoder);

    /// <summary>The decoder in use (its <see cref="FrameDecoder.SkippedFrames"/> counts discarded frames).</summary>
    public FrameDecoder Decoder { get; }

    /// <summary>The last frame read; see the remarks for how long it stays valid.</summary>
    public ReadOnlySequence<byte> Current { get; private set; }

    /// <summary>
    /// Takes the next frame from bytes already buffered, without waiting. Returns <see langword="false"/> when
    /// a read from the pipe is needed.
    /// </summary>
    /// <exception cref="FrameException">The stream broke a framing rule.</exception>
    public bool TryReadFrame()
    {
        if (!_holding)
        {
            return false;
        }

        var status = Decoder.Decode(ref _buffer, out var frame);
        if (status == FrameStatus.Invalid)
        {
            throw new FrameException(Decoder.Error!);
        }

        Current = frame;
        return status == FrameStatus.Frame;
    }

    /// <summary>
    /// Waits for the next frame. Returns <see langword="false"/> when the stream ended cleanly on a frame boundary.
    /// </summary>
    /// <exception cref="FrameException">The stream broke a framing rule, or ended inside a frame.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; no frame is lost.</exception>
    public async ValueTask<bool> ReadFrameAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (TryReadFrame())
            {
                return true;
            }

            if (_holding)
            {
                if (_completed)
                {
                    var error = Decoder.CheckEndOfStream(_buffer);
                    Release();
                    return error is null ? false : throw new FrameException(error);
                }

                Release();
            }
            else if (_completed)
            {
                // Once the end was found to be a truncation, asking again must not turn it into a clean end.
                return Decoder.Error is { } error ? throw new FrameException(error) : false;
            }

            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (result.IsCanceled)
            {
                throw new OperationCanceledException("the frame read was cancelled", cancellationToken);
            }

            _buffer = result.Buffer;
            _holding = true;
            _completed = result.IsCompleted;
        }
    }

    /// <summary>Completes the underlying reader: no more data will be read.</summary>
    public ValueTask CompleteAsync(Exception? exception = null)
    {
        Release();
        Current = default;
        return _reader.CompleteAsync(exception);
    }

    // Hands consumed bytes back to the pipe and marks the rest examined, so the next read waits for new data.
    private void Release()
    {
        if (_holding)
        {
            _reader.AdvanceTo(_buffer.Start, _buffer.End);
            _holding = false;
        }
    }
}
