namespace Sockit.Framing;

/// <summary>The outcome of one <see cref="FrameDecoder.Decode"/> call.</summary>
public enum FrameStatus
{
    /// <summary>No whole frame is buffered yet: read more bytes and call again.</summary>
    NeedMoreData,

    /// <summary>A frame was decoded and the buffer moved past it.</summary>
    Frame,

    /// <summary>The stream broke a framing rule; <see cref="FrameDecoder.Error"/> says which. Decoding is over.</summary>
    Invalid,
}
