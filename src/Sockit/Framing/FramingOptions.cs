namespace Sockit.Framing;

/// <summary>Limits and policy for a <see cref="FrameDecoder"/>. Immutable; safe to share.</summary>
public sealed record FramingOptions
{
    /// <summary>1 MiB: the default <see cref="MaxFrameSize"/>.</summary>
    public const int DefaultMaxFrameSize = 1 << 20;

    private readonly int _maxFrameSize = DefaultMaxFrameSize;

    /// <summary>The default options: 1 MiB frames, <see cref="BadFramePolicy.Close"/>.</summary>
    public static FramingOptions Default { get; } = new();

    /// <summary>
    /// The largest payload a decoder accepts, in bytes (default 1 MiB). Enforced the moment a length header
    /// arrives, or the moment this many bytes arrive without a delimiter, never after buffering the frame.
    /// </summary>
    public int MaxFrameSize
    {
        get => _maxFrameSize;
        init => _maxFrameSize = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxFrameSize), value, "the maximum frame size must be at least 1 byte");
    }

    /// <summary>What to do with an oversize frame (default <see cref="BadFramePolicy.Close"/>).</summary>
    public BadFramePolicy OnBadFrame { get; init; } = BadFramePolicy.Close;
}
