namespace Sockit.Framing;

/// <summary>Which framing rule a stream broke.</summary>
public enum FrameErrorKind
{
    /// <summary>A frame (announced by its header, or seen without its delimiter) is larger than the limit.</summary>
    Oversize,

    /// <summary>A header that cannot be read as a length (a varint longer than 10 bytes or beyond 64 bits).</summary>
    Malformed,

    /// <summary>The stream ended in the middle of a frame.</summary>
    Truncated,
}
