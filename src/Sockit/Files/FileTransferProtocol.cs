namespace Sockit.Files;

/// <summary>
/// The constants of Sockit's file transfer protocol, version 1 (<c>docs/protocol.md</c>): the greetings, the message
/// types, the refusal codes and the limits. Integers in messages are unsigned LEB128 varints unless stated; every
/// message is one frame of Sockit's <c>varint</c> framing (a LEB128 length, then the payload, whose first byte is the
/// message type).
/// </summary>
public static class FileTransferProtocol
{
    /// <summary>
    /// The connection options either side of a transfer runs best with: the defaults, with
    /// <see cref="Connections.ConnectionOptions.ResumeOnThreadPool"/> (reading and hashing a file overlap sending it;
    /// hashing and writing overlap receiving). The hand-offs pay best in a process whose thread pool does not spin
    /// for work (<c>DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0</c>, which <c>sockit send</c> and <c>receive</c>
    /// set): on two cores shared with the peer, a spinning worker takes the core the other side needs.
    /// </summary>
    public static Connections.ConnectionOptions ConnectionOptions { get; } = Connections.ConnectionOptions.Default with { ResumeOnThreadPool = true };

    /// <summary>The protocol version this library speaks (the byte after the magic in both greetings).</summary>
    public const byte Version = 1;

    /// <summary>Bytes in a greeting: a 6-byte magic, the version, a flags byte (0).</summary>
    public const int GreetingLength = 8;

    /// <summary>The largest message (frame payload) either side accepts, in bytes: 64 KiB.</summary>
    public const int MaxMessageSize = 64 << 10;

    /// <summary>The longest relative name accepted, in UTF-8 bytes (Linux's PATH_MAX).</summary>
    public const int MaxNameBytes = 4096;

    /// <summary>The length of a SHA-256 digest (FIPS 180-4) in bytes.</summary>
    public const int HashLength = 32;

    /// <summary>The sender's greeting magic, ASCII <c>SKSEND</c>.</summary>
    public static ReadOnlySpan<byte> SenderMagic => "SKSEND"u8;

    /// <summary>The receiver's greeting magic, ASCII <c>SKRECV</c>; different from the sender's, so an echo server is told apart.</summary>
    public static ReadOnlySpan<byte> ReceiverMagic => "SKRECV"u8;

    /// <summary>Sender → receiver: an entry header (kind, flags, size, mode, mtime, name).</summary>
    public const byte EntryMessage = 0x01;

    /// <summary>Sender → receiver, only after an offer: where the content starts (a varint offset).</summary>
    public const byte StartMessage = 0x02;

    /// <summary>Sender → receiver: the SHA-256 of the whole file, after its content.</summary>
    public const byte TrailerMessage = 0x03;

    /// <summary>Sender → receiver: no more entries.</summary>
    public const byte EndMessage = 0x04;

    /// <summary>Receiver → sender: the entry is stored under its final name, verified.</summary>
    public const byte VerifiedMessage = 0x11;

    /// <summary>Receiver → sender: the entry was refused or failed (a code and a UTF-8 reason).</summary>
    public const byte FailedMessage = 0x12;

    /// <summary>Receiver → sender, when the entry asked for it: how many bytes it already holds and their SHA-256.</summary>
    public const byte OfferMessage = 0x13;

    /// <summary>Entry flag: the sender waits for an offer before sending content (<c>--resume</c>).</summary>
    public const byte ResumeFlag = 0x01;
}
