using System.Buffers;
using Sockit.Framing;

namespace Sockit.Load;

/// <summary>
/// One connection's message as it travels, framing included, with its sequence number kept as an odometer:
/// every message of a connection is this frame with other sequence digits, so the sender patches 16 bytes
/// instead of encoding, and the receiver checks an in-order reply with one compare against the next frame.
/// </summary>
internal sealed class EchoFrame
{
    private readonly int _connectionId;
    private readonly int _payloadOffset;
    private readonly int _messageSize;

    public EchoFrame(FrameSpec spec, int connectionId, int messageSize)
    {
        _connectionId = connectionId;
        _messageSize = messageSize;
        var message = EchoMessage.CreateTemplate(messageSize);
        EchoMessage.WriteHeader(message, connectionId, 0);
        var writer = new ArrayBufferWriter<byte>(messageSize + 16);
        spec.CreateEncoder().Encode(message, writer);
        Bytes = writer.WrittenSpan.ToArray();
        var trailer = spec.Kind is FrameKind.Line or FrameKind.Delimiter ? spec.Delimiter.Length : 0;
        _payloadOffset = Bytes.Length - messageSize - trailer;
    }

    /// <summary>The whole frame: header or delimiter included.</summary>
    public byte[] Bytes { get; }

    /// <summary>Where the sequence digits sit in the frame.</summary>
    public int SequenceOffset => _payloadOffset + EchoMessage.IdDigits;

    /// <summary>The sequence digits, to copy into a frame of the same connection.</summary>
    public ReadOnlySpan<byte> SequenceDigits => Bytes.AsSpan(SequenceOffset, EchoMessage.SequenceDigits);

    /// <summary>The next sequence number.</summary>
    public void Increment() => EchoMessage.IncrementSequence(Bytes.AsSpan(_payloadOffset, _messageSize));

    /// <summary>Jumps to <paramref name="sequence"/>.</summary>
    public void Set(long sequence) => EchoMessage.WriteHeader(Bytes.AsSpan(_payloadOffset, _messageSize), _connectionId, sequence);
}
