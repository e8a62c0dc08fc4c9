using System.Buffers;

namespace Sockit.Framing;

/// <summary><c>raw</c>: whatever bytes are buffered form the next frame, at most the maximum frame size.</summary>
internal sealed class RawDecoder(FrameSpec spec, FramingOptions options) : FrameDecoder(spec, options)
{
    private protected override FrameStatus DecodeCore(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        if (buffer.IsEmpty)
        {
            frame = default;
            return FrameStatus.NeedMoreData;
        }

        frame = buffer.Length <= MaxFrameSize ? buffer : buffer.Slice(0, MaxFrameSize);
        buffer = buffer.Slice(frame.End);
        return FrameStatus.Frame;
    }
}
