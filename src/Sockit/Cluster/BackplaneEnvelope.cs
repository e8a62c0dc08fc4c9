using System.Buffers;
using System.Buffers.Binary;

namespace Sockit.Cluster;

/// <summary>
/// What one node publishes to a room's channel: a fixed 36-byte header, then the payload (the frame's content,
/// not yet framed: each node frames it for its own members). All integers big-endian:
/// <code>
/// 0   u8   version (1)
/// 1   u8   reserved (0)
/// 2   u64  node id (random per node start)
/// 10  u64  sender id (the connection's id on that node; 0 = the node itself)
/// 18  u64  sequence (per node, from 1, one per message: each sender's messages are a rising subsequence)
/// 26  u32  the node's member count when it published
/// 30  u16  reserved (0)
/// 32  u32  reserved (0)
/// 36       payload
/// </code>
/// Pure: bytes in, fields out.
/// </summary>
internal readonly record struct BackplaneEnvelope(ulong Node, ulong Sender, ulong Sequence, int MemberCount)
{
    public const int HeaderSize = 36;
    private const byte Version = 1;

    /// <summary>The header then <paramref name="payload"/>, as one array (what a publish sends).</summary>
    public byte[] Encode(in ReadOnlySequence<byte> payload)
    {
        var message = new byte[HeaderSize + payload.Length];
        var header = message.AsSpan(0, HeaderSize);
        header[0] = Version;
        BinaryPrimitives.WriteUInt64BigEndian(header[2..], Node);
        BinaryPrimitives.WriteUInt64BigEndian(header[10..], Sender);
        BinaryPrimitives.WriteUInt64BigEndian(header[18..], Sequence);
        BinaryPrimitives.WriteUInt32BigEndian(header[26..], (uint)MemberCount);
        payload.CopyTo(message.AsSpan(HeaderSize));
        return message;
    }

    /// <summary>Reads the header of <paramref name="message"/>; false when it is too short or of another version (not ours).</summary>
    public static bool TryDecode(ReadOnlySpan<byte> message, out BackplaneEnvelope envelope, out int payloadOffset)
    {
        payloadOffset = HeaderSize;
        if (message.Length < HeaderSize || message[0] != Version)
        {
            envelope = default;
            return false;
        }

        envelope = new BackplaneEnvelope(
            BinaryPrimitives.ReadUInt64BigEndian(message[2..]),
            BinaryPrimitives.ReadUInt64BigEndian(message[10..]),
            BinaryPrimitives.ReadUInt64BigEndian(message[18..]),
            (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(message[26..]), int.MaxValue));
        return true;
    }
}
