using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Win32.SafeHandles;

namespace Sockit.Files;

public sealed partial class FileSender
{
    private async ValueTask SendEntryAsync(PipeWriter output, SendSource source, ChannelWriter<Pending> pending, IncrementalHash hash, CancellationToken cancellationToken)
    {
        var entry = source.Entry;
        SafeFileHandle? file = null;
        if (entry.Kind == FileEntryKind.File)
        {
            try
            {
                // One open(2) on Linux (.NET's adds fstat, flock twice and fadvise); .NET's path says why it failed.
                file = (OperatingSystem.IsLinux() ? LinuxFileCalls.TryOpenRead(source.LocalPath) : null)
                    ?? File.OpenHandle(source.LocalPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.SequentialScan);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Not sent at all: the receiver never hears of it, and this side says why.
                Report(Outcome(entry, FileOutcomeStatus.Failed, $"cannot read it here: {ex.Message}"));
                return;
            }
        }

        using (file)
        {
            var item = new Pending(entry);
            if (!pending.TryWrite(item))
            {
                // Too many entries unanswered: what is buffered must reach the receiver, or its answers never come.
                await FlushAsync(output, cancellationToken).ConfigureAwait(false);
                _unflushed = 0;
                await pending.WriteAsync(item, cancellationToken).ConfigureAwait(false);
            }

            TransferMessages.WriteEntry(output, entry);
            _unflushed += 64;
            if (file is null)
            {
                await FlushIfDueAsync(output, cancellationToken).ConfigureAwait(false);
                return; // a directory: the header is all
            }

            hash.GetHashAndReset(); // one hash per transfer, reset per file: creating one costs more than a small file
            var start = 0L;
            if (entry.Resume)
            {
                _unflushed = 0;
                await FlushAsync(output, cancellationToken).ConfigureAwait(false);
                if (await item.Offer.Task.WaitAsync(cancellationToken).ConfigureAwait(false) is not { } offer)
                {
                    return; // refused: no content, the answer reader reported it
                }

                start = PrefixMatches(file, entry.Size, offer, hash) ? offer.Offset : 0;
                TransferMessages.WriteStart(output, start);
            }

            item.Offset = start;
            options.Progress?.StartFile(ReceivedName.Printable(entry.Name), entry.Size, start);
            await SendContentAsync(output, file, item, start, hash, cancellationToken).ConfigureAwait(false);
            item.LocalProblem ??= ChangeSinceHeader(file, entry);
            var digest = hash.GetHashAndReset();
            if (item.LocalProblem is not null)
            {
                digest.AsSpan().Clear(); // a trailer that cannot match: the receiver stores nothing
            }

            TransferMessages.WriteTrailer(output, digest);
            await FlushIfDueAsync(output, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends what is buffered once there is enough of it: small entries travel together, a few per send.</summary>
    private async ValueTask FlushIfDueAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        if (_unflushed >= SmallFlush)
        {
            _unflushed = 0;
            await FlushAsync(output, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Hashes our first <c>offer.Offset</c> bytes into <paramref name="hash"/> and compares; resets it when they differ.</summary>
    private static bool PrefixMatches(SafeFileHandle file, long size, (long Offset, byte[] Hash) offer, IncrementalHash hash)
    {
        if (offer.Offset <= 0 || offer.Offset > size)
        {
            return false;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            for (var position = 0L; position < offer.Offset;)
            {
                var read = RandomAccess.Read(file, buffer.AsSpan(0, (int)Math.Min(buffer.Length, offer.Offset - position)), position);
                if (read == 0)
                {
                    hash.GetHashAndReset();
                    return false;
                }

                hash.AppendData(buffer, 0, read);
                position += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (hash.GetCurrentHash().AsSpan().SequenceEqual(offer.Hash))
        {
            return true;
        }

        hash.GetHashAndReset();
        return false;
    }

    /// <summary>
    /// How the open <paramref name="file"/> differs from its header, once its content was read (one <c>fstat</c>):
    /// it grew, shrank or was written to (a new mtime) meanwhile, so what was sent may be no version of it that ever
    /// existed; null when size and mtime are still the announced ones. (<c>tar</c>: "file changed as we read it".)
    /// </summary>
    private static string? ChangeSinceHeader(SafeFileHandle file, FileEntry entry)
    {
        var (size, modifiedAt) = OperatingSystem.IsLinux() && LinuxFileCalls.TryStatHandle(file, out var stat)
            ? (stat.Size, stat.ModifiedAt)
            : (RandomAccess.GetLength(file), new DateTimeOffset(File.GetLastWriteTimeUtc(file)));
        return size > entry.Size ? $"it grew from {entry.Size} to {size} bytes"
            : size < entry.Size ? $"it shrank from {entry.Size} to {size} bytes"
            : modifiedAt != entry.ModifiedAt ? "it was written to: its mtime moved"
            : null;
    }

    /// <summary>
    /// Reads the file from <paramref name="start"/> to its announced size straight into the pipe's buffers. A file
    /// that shrank meanwhile is padded with zeros (the stream must carry the announced size) and marked, so its
    /// trailer is made not to match.
    /// </summary>
    private async ValueTask SendContentAsync(PipeWriter output, SafeFileHandle file, Pending item, long start, IncrementalHash hash, CancellationToken cancellationToken)
    {
        var size = item.Entry.Size;
        for (var position = start; position < size;)
        {
            // No more than the file needs: asking a 4 KiB file for 256 KiB makes the pipe take a fresh large buffer.
            var memory = output.GetMemory((int)Math.Min(ChunkSize, size - position));
            var want = (int)Math.Min(memory.Length, size - position);
            var read = item.LocalProblem is null ? RandomAccess.Read(file, memory.Span[..want], position) : 0;
            if (read == 0)
            {
                item.LocalProblem ??= $"it shrank below the {size} bytes announced";
                memory.Span[..want].Clear();
                read = want;
            }

            hash.AppendData(memory.Span[..read]);
            output.Advance(read);
            position += read;
            _unflushed += read;
            item.Bytes += read;
            Interlocked.Add(ref _bytes, read);
            options.Progress?.AddBytes(read);
            if (_unflushed >= FlushEvery)
            {
                _unflushed = 0;
                await FlushAsync(output, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Reads one answer (two with an offer) per entry, in order, then the receiver's end of stream.
    /// <paramref name="stopped"/> is the caller's token: when it fired, an unanswered entry was interrupted.
    /// </summary>
    private async Task ReadAnswersAsync(MessageReader reader, ChannelReader<Pending> pending, CancellationTokenSource failed, CancellationToken stopped)
    {
        Pending? current = null;
        try
        {
            await foreach (var item in pending.ReadAllAsync(failed.Token).ConfigureAwait(false))
            {
                current = item;
                var message = await NextAnswerAsync(reader, failed.Token).ConfigureAwait(false);
                if (item.Entry.Resume && item.Entry.Kind == FileEntryKind.File && message[0] != FileTransferProtocol.FailedMessage)
                {
                    if (message[0] != FileTransferProtocol.OfferMessage || !TransferMessages.TryReadOffer(message, out var offset, out var sha256))
                    {
                        throw new FileTransferException($"the receiver sent message type 0x{message[0]:x2} where an offer was expected");
                    }

                    item.Offer.TrySetResult((offset, sha256));
                    message = await NextAnswerAsync(reader, failed.Token).ConfigureAwait(false);
                }
                else
                {
                    item.Offer.TrySetResult(null);
                }

                Report(Judge(item, message));
                current = null;
            }

            if (await reader.ReadMessageAsync(failed.Token).ConfigureAwait(false) is { } extra)
            {
                throw new FileTransferException($"the receiver sent message type 0x{extra[0]:x2} after the last answer");
            }
        }
        catch
        {
            await failed.CancelAsync().ConfigureAwait(false); // stop sending: nobody will answer
            if (current is not null)
            {
                current.Offer.TrySetResult(null);
                Report(Outcome(current.Entry, FileOutcomeStatus.Failed, Unanswered(stopped), current.Bytes, current.Offset));
            }

            throw;
        }
    }

    private static async ValueTask<byte[]> NextAnswerAsync(MessageReader reader, CancellationToken cancellationToken) =>
        await reader.ReadMessageAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new FileTransferException("the receiver closed the connection before answering every entry");

    private static FileOutcome Judge(Pending item, byte[] message)
    {
        if (message is [FileTransferProtocol.VerifiedMessage])
        {
            return item.LocalProblem is { } problem
                ? throw new FileTransferException("the receiver verified a file whose trailer could not match: it does not check hashes")
                : Outcome(item.Entry, FileOutcomeStatus.Verified, "", item.Bytes, item.Offset);
        }

        if (message[0] == FileTransferProtocol.FailedMessage && TransferMessages.TryReadFailed(message, out var code, out var reason))
        {
            var status = code is FailureCode.HashMismatch or FailureCode.WriteError ? FileOutcomeStatus.Failed : FileOutcomeStatus.Refused;
            return Outcome(item.Entry, status, item.LocalProblem is { } local && code == FailureCode.HashMismatch ? $"{ChangedWhileSent} ({local}): not stored" : $"{Refusal(code)}: {reason}", item.Bytes, item.Offset);
        }

        throw new FileTransferException($"the receiver sent message type 0x{message[0]:x2} where an answer was expected");
    }

    private static string Refusal(FailureCode code) => code switch
    {
        FailureCode.UnsafeName => "refused, unsafe name",
        FailureCode.Exists => "refused",
        FailureCode.Busy => "refused, busy",
        FailureCode.HashMismatch => "failed",
        FailureCode.WriteError => "failed on the receiver",
        FailureCode.BadEntry => "refused, bad entry",
        _ => $"refused (code {(byte)code})",
    };
}
