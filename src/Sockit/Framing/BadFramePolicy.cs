namespace Sockit.Framing;

/// <summary>What a decoder does with an oversize frame.</summary>
public enum BadFramePolicy
{
    /// <summary>Stop decoding and report a <see cref="FrameError"/>; the connection should close. The default.</summary>
    Close,

    /// <summary>
    /// Discard the oversize frame (for delimiters: the bytes up to the next delimiter), count it in
    /// <see cref="FrameDecoder.SkippedFrames"/> and carry on in sync. Malformed headers that leave no way to
    /// find the next frame (a varint longer than 10 bytes) still stop decoding.
    /// </summary>
    Skip,
}
