using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Sockit.Framing;

namespace Sockit.Files;

/// <summary>
/// Encodes and decodes the messages of <c>docs/protocol.md</c>. Pure: bytes in, values out; no I/O. Each message is
/// written as one <c>varint</c> frame (Sockit's framing: a LEB128 length, then the payload).
/// </summary>
internal static class TransferMessages
{
    private static readonly FrameEncoder s_encoder = FrameSpec.Varint.CreateEncoder();

    /// <summary>A .NET tick is 100 ns; the wire carries nanoseconds since the Unix epoch.</summary>
    private const long NanosecondsPerTick = 100;

    public static void WriteGreeting(IBufferWriter<byte> writer, ReadOnlySpan<byte> magic)
    {
        var span = writer.GetSpan(FileTransferProtocol.GreetingLength);
        magic.CopyTo(span);
        span[6] = FileTransferProtocol.Version;
        span[7] = 0;
        writer.Advance(FileTransferProtocol.GreetingLength);
    }

    /// <summary>Null when <paramref name="greeting"/> is the expected one; otherwise why not, for people.</summary>
    public static string? CheckGreeting(ReadOnlySpan<byte> greeting, ReadOnlySpan<byte> expected, ReadOnlySpan<byte> ours, string peerRole)
    {
        if (greeting.StartsWith(expected))
        {
            return greeting[6] == FileTransferProtocol.Version
                ? null
                : $"the {peerRole} speaks file transfer protocol version {greeting[6]}, this sockit speaks version {FileTransferProtocol.Version}";
        }

        if (greeting.StartsWith(ours))
        {
            return $"the peer sent our own greeting back: an echo server, or another {(peerRole == "receiver" ? "sender" : "receiver")}, not a sockit {peerRole}";
        }

        var text = Encoding.ASCII.GetString(greeting);
        var hint = text.StartsWith("HTTP/", StringComparison.Ordinal) ? " (an HTTP server)"
            : text.StartsWith("SSH-", StringComparison.Ordinal) ? " (an SSH server)"
            : "";
        return $"the peer is not a sockit {peerRole}{hint}: it began with {ByteText(greeting)}";
    }

    public static void WriteEntry(IBufferWriter<byte> writer, in FileEntry entry)
    {
        var nameLength = Encoding.UTF8.GetByteCount(entry.Name);
        var payload = new byte[1 + 1 + 1 + 10 + 5 + 8 + nameLength];
        var i = 0;
        payload[i++] = FileTransferProtocol.EntryMessage;
        payload[i++] = (byte)entry.Kind;
        payload[i++] = entry.Resume ? FileTransferProtocol.ResumeFlag : (byte)0;
        i += WriteVarint(payload.AsSpan(i), (ulong)entry.Size);
        i += WriteVarint(payload.AsSpan(i), (ulong)entry.Mode);
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(i), ToUnixNanoseconds(entry.ModifiedAt));
        i += 8;
        i += Encoding.UTF8.GetBytes(entry.Name, payload.AsSpan(i));
        s_encoder.Encode(payload.AsSpan(0, i), writer);
    }

    /// <summary>Decodes an entry payload; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryReadEntry(ReadOnlySpan<byte> payload, out FileEntry entry, out string error)
    {
        entry = default;
        var i = 1;
        if (payload.Length < 3 + 2 + 8)
        {
            error = "an entry header is too short";
            return false;
        }

        var kind = payload[i++];
        var flags = payload[i++];
        if (!TryReadVarint(payload, ref i, out var size) || !TryReadVarint(payload, ref i, out var mode) || payload.Length - i < 8)
        {
            error = "an entry header is truncated";
            return false;
        }

        var nanoseconds = BinaryPrimitives.ReadInt64BigEndian(payload[i..]);
        i += 8;

        // Invalid UTF-8 is decoded with U+FFFD in place of the bad bytes; the receiver refuses such a name (per file).
        var name = Encoding.UTF8.GetString(payload[i..]);
        if (kind > (byte)FileEntryKind.Directory)
        {
            error = $"the entry '{ReceivedName.Printable(name)}' has an unknown kind {kind}";
            return false;
        }

        if ((flags & ~FileTransferProtocol.ResumeFlag) != 0)
        {
            error = $"the entry '{ReceivedName.Printable(name)}' has unknown flags 0x{flags:x2}";
            return false;
        }

        if (size > long.MaxValue || (kind == (byte)FileEntryKind.Directory && size != 0))
        {
            error = $"the entry '{ReceivedName.Printable(name)}' claims {size} bytes";
            return false;
        }

        entry = new FileEntry(
            name,
            (FileEntryKind)kind,
            (long)size,
            (int)Math.Min(mode, int.MaxValue),
            FromUnixNanoseconds(nanoseconds),
            (flags & FileTransferProtocol.ResumeFlag) != 0);
        error = "";
        return true;
    }

    public static void WriteStart(IBufferWriter<byte> writer, long offset)
    {
        Span<byte> payload = stackalloc byte[11];
        payload[0] = FileTransferProtocol.StartMessage;
        var n = 1 + WriteVarint(payload[1..], (ulong)offset);
        s_encoder.Encode(payload[..n], writer);
    }

    public static bool TryReadStart(ReadOnlySpan<byte> payload, out long offset)
    {
        var i = 1;
        offset = 0;
        if (!TryReadVarint(payload, ref i, out var value) || i != payload.Length || value > long.MaxValue)
        {
            return false;
        }

        offset = (long)value;
        return true;
    }

    public static void WriteTrailer(IBufferWriter<byte> writer, ReadOnlySpan<byte> sha256)
    {
        Span<byte> payload = stackalloc byte[1 + FileTransferProtocol.HashLength];
        payload[0] = FileTransferProtocol.TrailerMessage;
        sha256.CopyTo(payload[1..]);
        s_encoder.Encode(payload, writer);
    }

    public static void WriteEnd(IBufferWriter<byte> writer) => s_encoder.Encode([FileTransferProtocol.EndMessage], writer);

    public static void WriteVerified(IBufferWriter<byte> writer) => s_encoder.Encode([FileTransferProtocol.VerifiedMessage], writer);

    public static void WriteFailed(IBufferWriter<byte> writer, FailureCode code, string reason)
    {
        var bytes = new byte[2 + Encoding.UTF8.GetByteCount(reason)];
        bytes[0] = FileTransferProtocol.FailedMessage;
        bytes[1] = (byte)code;
        Encoding.UTF8.GetBytes(reason, bytes.AsSpan(2));
        s_encoder.Encode(bytes.AsSpan(0, Math.Min(bytes.Length, FileTransferProtocol.MaxMessageSize)), writer);
    }

    public static bool TryReadFailed(ReadOnlySpan<byte> payload, out FailureCode code, out string reason)
    {
        code = default;
        reason = "";
        if (payload.Length < 2)
        {
            return false;
        }

        code = (FailureCode)payload[1];
        reason = ReceivedName.Printable(Encoding.UTF8.GetString(payload[2..]));
        return true;
    }

    public static void WriteOffer(IBufferWriter<byte> writer, long offset, ReadOnlySpan<byte> sha256)
    {
        Span<byte> payload = stackalloc byte[1 + 10 + FileTransferProtocol.HashLength];
        payload[0] = FileTransferProtocol.OfferMessage;
        var n = 1 + WriteVarint(payload[1..], (ulong)offset);
        sha256.CopyTo(payload[n..]);
        s_encoder.Encode(payload[..(n + FileTransferProtocol.HashLength)], writer);
    }

    public static bool TryReadOffer(ReadOnlySpan<byte> payload, out long offset, out byte[] sha256)
    {
        var i = 1;
        offset = 0;
        sha256 = [];
        if (!TryReadVarint(payload, ref i, out var value) || payload.Length - i != FileTransferProtocol.HashLength || value > long.MaxValue)
        {
            return false;
        }

        offset = (long)value;
        sha256 = payload[i..].ToArray();
        return true;
    }

    /// <summary>Writes <paramref name="value"/> as unsigned LEB128; returns the bytes written (1 to 10).</summary>
    public static int WriteVarint(Span<byte> destination, ulong value)
    {
        var i = 0;
        for (; value >= 0x80; value >>= 7)
        {
            destination[i++] = (byte)(value | 0x80);
        }

        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>Reads an unsigned LEB128 at <paramref name="index"/>; false when truncated or longer than 10 bytes.</summary>
    public static bool TryReadVarint(ReadOnlySpan<byte> source, ref int index, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 70 && index < source.Length; shift += 7)
        {
            var b = source[index++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return shift < 63 || b <= 1;
            }
        }

        return false;
    }

    public static long ToUnixNanoseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * NanosecondsPerTick;

    public static DateTimeOffset FromUnixNanoseconds(long nanoseconds)
    {
        var ticks = nanoseconds / NanosecondsPerTick;
        var min = DateTimeOffset.MinValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var max = DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return new DateTimeOffset(Math.Clamp(ticks, min, max) + DateTimeOffset.UnixEpoch.UtcTicks, TimeSpan.Zero);
    }

    private static string ByteText(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder("\"");
        foreach (var b in bytes)
        {
            text.Append(b is >= 0x20 and < 0x7F && b != (byte)'"' && b != (byte)'\\' ? (char)b : $"\\x{b:x2}");
        }

        return text.Append('"').ToString();
    }
}
