using System.Buffers;

namespace Sockit.Framing;

/// <summary><c>fixed:N</c>: the payload must be exactly N bytes.</summary>
internal sealed class FixedEncoder(FrameSpec spec) : FrameEncoder(spec)
{
    private protected override void Validate(ReadOnlySpan<byte> payload) => Check(payload.Length);

    private protected override void Validate(in ReadOnlySequence<byte> payload) => Check(payload.Length);

    private void Check(long length)
    {
        if (length != Spec.FixedSize)
        {
            throw new ArgumentException($"a payload of {length} bytes cannot be sent as {Spec}: every frame is exactly {Spec.FixedSize} bytes");
        }
    }
}
