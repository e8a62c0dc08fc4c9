using System.Buffers;

namespace Sockit.Framing;

/// <summary><c>fixed:N</c>: every frame is exactly N bytes.</summary>
internal sealed class FixedDecoder : FrameDecoder
{
    private readonly int _size;

    public FixedDecoder(FrameSpec spec, FramingOptions options)
        : base(spec, options)
    {
        _size = spec.FixedSize;
        if (_size > options.MaxFrameSize)
        {
            throw new ArgumentException($"{spec} frames are larger than the maximum frame size of {options.MaxFrameSize} bytes", nameof(options));
        }
    }

    private protected override FrameStatus DecodeCore(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        if (buffer.Length < _size)
        {
            frame = default;
            IncompleteFrameLength = _size;
            return FrameStatus.NeedMoreData;
        }

        frame = buffer.Slice(0, _size);
        buffer = buffer.Slice(frame.End);
        return FrameStatus.Frame;
    }
}
