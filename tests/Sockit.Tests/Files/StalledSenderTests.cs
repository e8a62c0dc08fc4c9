using System.Buffers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading.Channels;
using Sockit.Connections;
using Sockit.Files;
using Sockit.Tests.Connections;

namespace Sockit.Tests.Files;

/// <summary>
/// A sender that goes silent in the middle of a file (connected, not closed) is closed by the server's idle timeout:
/// the receiver says why, keeps the partial file for <c>--resume</c> and frees the name for the next sender.
/// </summary>
public sealed class StalledSenderTests : IDisposable
{
    private const int Size = 10_000;
    private const int Sent = 4_000;

    private readonly string _inbox = Directory.CreateTempSubdirectory("sockit-stalled-").FullName;

    [Fact]
    public async Task AnIdleTimeoutEndsAStalledSenderSayingSoKeepsItsPartialFileAndFreesTheNameForResume()
    {
        var data = new byte[Size];
        new Random(5).NextBytes(data);
        var ended = Channel.CreateUnbounded<TransferSummary>();
        var entries = Channel.CreateUnbounded<FileOutcome>();
        var receiver = new FileReceiver(new FileReceiverOptions
        {
            Directory = _inbox,
            OnEntry = (_, outcome) => entries.Writer.TryWrite(outcome),
            OnSessionEnded = (_, summary) => ended.Writer.TryWrite(summary),
        });
        await using var server = Loopback.StartServer(receiver, new SocketServerOptions
        {
            IdleTimeout = TimeSpan.FromSeconds(1),
            Connection = FileTransferProtocol.ConnectionOptions,
        });

        using var stalled = await GreetAsync(server);
        await stalled.SendAsync(Concat(Message(w => TransferMessages.WriteEntry(w, Entry())), data[..Sent]));

        // Silent from here on, never closed: only the idle timeout can end it.
        var summary = await ended.Reader.ReadAsync().AsTask().WithTimeout();
        Assert.Equal("stall.bin: idle for 1 s (idle timeout); partial file kept for --resume", summary.Error);
        Assert.Equal((0, 1), (summary.Verified, summary.Failed)); // the file it cut counts as failed, not as nothing
        Assert.Equal(
            new FileOutcome("stall.bin", FileEntryKind.File, FileOutcomeStatus.Failed, "idle for 1 s (idle timeout); partial file kept for --resume", Sent),
            await entries.Reader.ReadAsync().AsTask().WithTimeout());
        Assert.Empty(await stalled.ReceiveToEndAsync()); // closed with FIN: nothing was lost but the sender's time
        Assert.False(File.Exists(Path.Join(_inbox, "stall.bin")));
        Assert.Equal(Sent, new FileInfo(Path.Join(_inbox, ".stall.bin.sockit-part")).Length);

        // The same name, resumed: offered what is there (not refused as busy), finished and verified.
        using var resumed = await GreetAsync(server);
        await resumed.SendAsync(Message(w => TransferMessages.WriteEntry(w, Entry() with { Resume = true })));
        var offer = await ReadMessageAsync(resumed);
        Assert.True(TransferMessages.TryReadOffer(offer, out var offset, out var prefixHash), $"not an offer: {Convert.ToHexString(offer)}");
        Assert.Equal(Sent, offset);
        Assert.Equal(SHA256.HashData(data.AsSpan(0, Sent)), prefixHash);
        await resumed.SendAsync(Concat(
            Message(w => TransferMessages.WriteStart(w, Sent)),
            data[Sent..],
            Message(w => TransferMessages.WriteTrailer(w, SHA256.HashData(data))),
            Message(TransferMessages.WriteEnd)));
        var answer = await ReadMessageAsync(resumed);
        Assert.Equal([FileTransferProtocol.VerifiedMessage], answer);
        Assert.Null((await ended.Reader.ReadAsync().AsTask().WithTimeout()).Error);
        Assert.Equal(data, File.ReadAllBytes(Path.Join(_inbox, "stall.bin")));
    }

    [Fact]
    public async Task AResumingSenderThatGoesAwayAfterTheOfferLeavesThePartialFileAsItWas()
    {
        var kept = new byte[Sent];
        new Random(6).NextBytes(kept);
        var partial = Path.Join(_inbox, ".stall.bin.sockit-part");
        File.WriteAllBytes(partial, kept);
        var ended = new TaskCompletionSource<TransferSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
        var receiver = new FileReceiver(new FileReceiverOptions { Directory = _inbox, OnSessionEnded = (_, summary) => ended.TrySetResult(summary) });
        await using var server = Loopback.StartServer(receiver);

        using (var sender = await GreetAsync(server))
        {
            await sender.SendAsync(Message(w => TransferMessages.WriteEntry(w, Entry() with { Resume = true })));
            var offer = await ReadMessageAsync(sender);
            Assert.True(TransferMessages.TryReadOffer(offer, out var offset, out _));
            Assert.Equal(Sent, offset);
        } // gone before its START: killed, or its user pressed Ctrl-C

        var summary = await ended.Task.WithTimeout();
        Assert.StartsWith("stall.bin: ", summary.Error, StringComparison.Ordinal);
        Assert.Equal(kept, File.ReadAllBytes(partial));
    }

    [Fact]
    public async Task ARawSenderCutByTheIdleTimeoutHasNotFinishedAndNothingIsStored()
    {
        var raw = new RawFileReceiver(_inbox, "raw.bin", overwrite: false);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = Loopback.StartServer(new DelegateHandler(async (connection, stopping) =>
        {
            await raw.HandleAsync(connection, stopping);
            done.TrySetResult();
        }), new SocketServerOptions { IdleTimeout = TimeSpan.FromSeconds(1) });

        using var sender = await Loopback.ConnectAsync(server);
        await sender.SendAsync(new byte[Sent]); // then silence: no FIN, the file is not finished

        Assert.Empty(await sender.ReceiveToEndAsync());
        await done.Task.WithTimeout();
        Assert.Equal(FileOutcomeStatus.Failed, raw.Outcome?.Status);
        Assert.Equal($"idle for 1 s (idle timeout) (after {Sent} byte(s); nothing stored)", raw.Outcome?.Reason);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_inbox));
    }

    public void Dispose() => Directory.Delete(_inbox, recursive: true);

    private static FileEntry Entry() => new("stall.bin", FileEntryKind.File, Size, 0x1A4, DateTimeOffset.UnixEpoch);

    private static byte[] Message(Action<IBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return writer.WrittenSpan.ToArray();
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static async Task<Socket> GreetAsync(SocketServer server)
    {
        var socket = await Loopback.ConnectAsync(server);
        await socket.SendAsync(Message(w => TransferMessages.WriteGreeting(w, FileTransferProtocol.SenderMagic)));
        Assert.Equal(Message(w => TransferMessages.WriteGreeting(w, FileTransferProtocol.ReceiverMagic)), await socket.ReceiveExactlyAsync(FileTransferProtocol.GreetingLength));
        return socket;
    }

    /// <summary>One message's payload (the answers are short: a one-byte length).</summary>
    private static async Task<byte[]> ReadMessageAsync(Socket socket)
    {
        var length = (await socket.ReceiveExactlyAsync(1))[0];
        Assert.True(length < 0x80, "a long answer");
        return await socket.ReceiveExactlyAsync(length);
    }
}
