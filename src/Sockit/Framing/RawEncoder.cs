namespace Sockit.Framing;

/// <summary><c>raw</c>: the payload as it is.</summary>
internal sealed class RawEncoder(FrameSpec spec) : FrameEncoder(spec);
