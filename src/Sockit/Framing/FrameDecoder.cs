using System.Buffers;

namespace Sockit.Framing;

/// <summary>
/// Cuts a byte stream into frames. Pure and synchronous: bytes in, frames out, no I/O, no clock.
/// One decoder serves one stream; it is not thread-safe. Create one with <see cref="FrameSpec.CreateDecoder"/>.
/// </summary>
/// <remarks>
/// The contract is the PipeReader one: pass the unconsumed bytes, extended by whatever arrived since.
/// A decoder may remember how far it already searched in them (delimiter search resumes, so cost stays linear
/// however the stream is split) or how much of an oversize frame is still to be skipped.
/// </remarks>
public abstract class FrameDecoder
{
    private protected FrameDecoder(FrameSpec spec, FramingOptions options)
    {
        Spec = spec;
        Options = options;
        MaxFrameSize = options.MaxFrameSize;
        Skip = options.OnBadFrame == BadFramePolicy.Skip;
    }

    /// <summary>The framing this decoder reads.</summary>
    public FrameSpec Spec { get; }

    /// <summary>The limit and policy in force.</summary>
    public FramingOptions Options { get; }

    /// <summary>Oversize frames discarded under <see cref="BadFramePolicy.Skip"/> so far.</summary>
    public long SkippedFrames { get; private protected set; }

    /// <summary>Why decoding stopped, once <see cref="Decode"/> has returned <see cref="FrameStatus.Invalid"/>.</summary>
    public FrameError? Error { get; private set; }

    private protected int MaxFrameSize { get; }

    private protected bool Skip { get; }

    /// <summary>
    /// Tries to take one frame from the front of <paramref name="buffer"/>.
    /// </summary>
    /// <param name="buffer">
    /// The unconsumed bytes. On return it starts after everything consumed (the frame and its header or
    /// delimiter, and any skipped bytes): pass its <c>Start</c> as <em>consumed</em> and the original end as
    /// <em>examined</em> to <c>PipeReader.AdvanceTo</c>.
    /// </param>
    /// <param name="frame">The payload, a slice of the input: valid as long as the input memory is.</param>
    public FrameStatus Decode(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        IncompleteFrameLength = 0;
        if (Error is not null)
        {
            frame = default;
            return FrameStatus.Invalid;
        }

        return DecodeCore(ref buffer, out frame);
    }

    /// <summary>
    /// Says whether the stream may end here. Bytes left over, or an oversize frame still being skipped, are a
    /// truncated frame, reported as an error (never dropped silently). Returns <see langword="null"/> when the stream ended cleanly.
    /// </summary>
    /// <param name="remaining">What is left after the last <see cref="FrameStatus.Frame"/>.</param>
    public FrameError? CheckEndOfStream(in ReadOnlySequence<byte> remaining)
    {
        if (Error is not null || (remaining.IsEmpty && !IsSkipping))
        {
            return Error;
        }

        // Ending inside a frame being skipped is a truncation too, whether or not bytes of it are still buffered.
        return Fail(FrameErrorKind.Truncated, (ulong)remaining.Length, IsSkipping
            ? $"the stream ended inside an oversize {Spec} frame being skipped: {remaining.Length} byte(s) left over"
            : $"the stream ended inside a {Spec} frame: {remaining.Length} byte(s) left over");
    }

    /// <summary>Whether the decoder is part-way through discarding an oversize frame (Skip policy).</summary>
    /// <summary>
    /// After <see cref="Decode"/> returned <see cref="FrameStatus.NeedMoreData"/>: the whole length in bytes (header
    /// and payload) of the frame at the front of the buffer when its header is in and was found valid, so the frame's
    /// end is known before its bytes are; 0 otherwise, and always 0 for framings whose end only a delimiter tells.
    /// Lets an echo pass a large frame through as it arrives (cut-through) instead of holding it whole.
    /// </summary>
    internal long IncompleteFrameLength { get; private protected set; }

    private protected virtual bool IsSkipping => false;

    private protected abstract FrameStatus DecodeCore(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame);

    /// <summary>
    /// Discards up to <paramref name="remaining"/> bytes of an oversize payload from the front of
    /// <paramref name="buffer"/>; true when the whole payload is gone and decoding can go on.
    /// </summary>
    private protected static bool SkipBuffered(ref ReadOnlySequence<byte> buffer, ref ulong remaining)
    {
        var n = (long)Math.Min(remaining, (ulong)buffer.Length);
        buffer = buffer.Slice(n);
        remaining -= (ulong)n;
        return remaining == 0;
    }

    /// <summary>Records the error; every later call returns <see cref="FrameStatus.Invalid"/>.</summary>
    private protected FrameError Fail(FrameErrorKind kind, ulong value, string message) =>
        Error = new FrameError(kind, value, message);

    /// <summary>Records an oversize frame; <see cref="FrameStatus.Invalid"/> for the caller to return.</summary>
    private protected FrameStatus FailOversize(ulong length, string what)
    {
        Fail(FrameErrorKind.Oversize, length,
            $"{what} exceeds the maximum frame size of {MaxFrameSize} bytes ({Spec} framing)");
        return FrameStatus.Invalid;
    }
}
