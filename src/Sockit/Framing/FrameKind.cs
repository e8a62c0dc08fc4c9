namespace Sockit.Framing;

/// <summary>How a byte stream is cut into messages.</summary>
public enum FrameKind
{
    /// <summary>No framing: bytes as they arrive, which is all TCP itself promises.</summary>
    Raw,

    /// <summary>Frames end at <c>\n</c>; a <c>\r</c> just before it is dropped.</summary>
    Line,

    /// <summary>Frames end at a chosen byte sequence.</summary>
    Delimiter,

    /// <summary>A fixed-width unsigned length header, then that many payload bytes.</summary>
    LengthPrefix,

    /// <summary>An unsigned LEB128 length (protobuf's delimited format), then that many payload bytes.</summary>
    Varint,

    /// <summary>Every frame is exactly the same number of bytes.</summary>
    Fixed,
}
