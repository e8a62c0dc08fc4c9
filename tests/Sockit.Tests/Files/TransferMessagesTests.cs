using System.Buffers;
using Sockit.Files;

namespace Sockit.Tests.Files;

/// <summary>The protocol's messages byte for byte, as docs/protocol.md shows them.</summary>
public sealed class TransferMessagesTests
{
    [Fact]
    public void AnEntryIsTheDocumentedBytesAndReadsBack()
    {
        var writer = new ArrayBufferWriter<byte>();
        var entry = new FileEntry("hi.txt", FileEntryKind.File, 3, 0x1A4, DateTimeOffset.UnixEpoch);

        TransferMessages.WriteEntry(writer, entry);

        Assert.Equal(Convert.FromHexString("140100000" + "3a403" + "0000000000000000" + "68692e747874"), writer.WrittenSpan.ToArray());
        Assert.True(TransferMessages.TryReadEntry(writer.WrittenSpan[1..], out var read, out _));
        Assert.Equal(entry, read);
    }

    [Fact]
    public void BigSizesAndModernTimesSurviveTheRoundTrip()
    {
        var writer = new ArrayBufferWriter<byte>();
        var when = new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(1234567);
        var entry = new FileEntry("d/e", FileEntryKind.File, (5L << 30) + 1, 0x1ED, when, Resume: true);

        TransferMessages.WriteEntry(writer, entry);

        Assert.True(TransferMessages.TryReadEntry(writer.WrittenSpan[1..], out var read, out _));
        Assert.Equal(entry, read);
    }

    [Theory]
    [InlineData("01090000000000000000000000000078", "unknown kind 9")]
    [InlineData("01008000000000000000000000000078", "unknown flags 0x80")]
    [InlineData("01010005000000000000000000000078", "claims 5 bytes")]
    [InlineData("0100000000", "too short")]
    public void ABadEntryHeaderIsAProtocolErrorSayingWhat(string hex, string error)
    {
        Assert.False(TransferMessages.TryReadEntry(Convert.FromHexString(hex), out _, out var why));
        Assert.Contains(error, why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("534b524543560100", null)]
    [InlineData("534b524543560200", "version 2")]
    [InlineData("534b53454e440100", "an echo server")]
    [InlineData("485454502f312e31", "(an HTTP server): it began with \"HTTP/1.1\"")]
    public void AGreetingIsCheckedAndAWrongPeerNamed(string hex, string? problem)
    {
        var why = TransferMessages.CheckGreeting(Convert.FromHexString(hex), FileTransferProtocol.ReceiverMagic, FileTransferProtocol.SenderMagic, "receiver");

        if (problem is null)
        {
            Assert.Null(why);
        }
        else
        {
            Assert.Contains(problem, why, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AnOfferCarriesItsOffsetAndHash()
    {
        var writer = new ArrayBufferWriter<byte>();
        var hash = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

        TransferMessages.WriteOffer(writer, 300, hash);

        Assert.Equal(0x13, writer.WrittenSpan[1]);
        Assert.True(TransferMessages.TryReadOffer(writer.WrittenSpan[1..], out var offset, out var read));
        Assert.Equal(300, offset);
        Assert.Equal(hash, read);
    }
}
