using System.Diagnostics;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Win32.SafeHandles;
using Sockit.Connections;

namespace Sockit.Files;

/// <summary>
/// The sending side of the file transfer protocol (<c>docs/protocol.md</c>) over one connection: entries go out
/// back to back while the answers are read concurrently (no round trip per file, except with
/// <see cref="FileSenderOptions.Resume"/>). Content is read from disk straight into the connection's buffers in
/// 256 KiB pieces and hashed on the way; memory stays bounded whatever the file sizes. One instance per transfer:
/// its totals are that transfer's.
/// </summary>
public sealed partial class FileSender(FileSenderOptions options)
{
    private const int ChunkSize = 256 << 10;
    private const int FlushEvery = 1 << 20;
    private const int SmallFlush = 64 << 10;

    /// <summary>The <see cref="TransferSummary.Error"/> of a transfer stopped by its cancellation token: <c>interrupted</c>.</summary>
    public const string Interrupted = "interrupted";

    /// <summary>
    /// How the reason of a file that changed on this side while it was being sent begins: <c>changed while being
    /// sent</c> (then why, e.g. <c>(it grew from 1048576 to 1310720 bytes): not stored</c>). Such a file gets a trailer
    /// that cannot match, so the receiver stores nothing, and it counts as failed.
    /// </summary>
    public const string ChangedWhileSent = "changed while being sent";

    private readonly Lock _report = new();
    private long _verified;
    private long _failed;
    private long _skipped;
    private long _bytes;
    private long _unflushed; // bytes written to the connection since its last flush (the sending task's only)

    /// <summary>
    /// Sends <paramref name="sources"/> over <paramref name="connection"/> (greeting, entries, end), waits for every
    /// answer and closes the connection. Returns the totals; a protocol error or a lost connection ends the transfer
    /// early and is in <see cref="TransferSummary.Error"/> (unanswered entries count as failed). Cancelling
    /// <paramref name="cancellationToken"/> (Ctrl-C) resets the connection and ends the transfer the same way, with
    /// the error <see cref="Interrupted"/>: it is not thrown, so the totals of what was verified are kept.
    /// </summary>
    public async Task<TransferSummary> SendAsync(Connection connection, IEnumerable<SendSource> sources, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(sources);
        var clock = Stopwatch.StartNew();
        var reader = new MessageReader(connection.Input, "receiver");
        var pending = Channel.CreateBounded<Pending>(new BoundedChannelOptions(options.MaxUnanswered) { SingleReader = true, SingleWriter = true });
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task? answers = null;
        string? error = null;
        try
        {
            await GreetAsync(connection.Output, reader, cancellationToken).ConfigureAwait(false);
            answers = ReadAnswersAsync(reader, pending.Reader, failed, cancellationToken);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var source in sources)
            {
                await SendEntryAsync(connection.Output, source, pending.Writer, hash, failed.Token).ConfigureAwait(false);
            }

            TransferMessages.WriteEnd(connection.Output);
            pending.Writer.Complete();
            await FlushAsync(connection.Output, failed.Token).ConfigureAwait(false);
            await answers.ConfigureAwait(false);
            await connection.CloseAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or FileTransferException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                // Stopped by the caller (Ctrl-C): the transfer ended early like any other, and says so.
                error = Interrupted;
                connection.Abort(CloseReasonKind.LocalClosed, "stopped");
            }
            else
            {
                // The answers' reader failing (a reset, a protocol error) cancels the sending; its error is the story.
                // Only it cancels `failed` here, just before it throws: wait for that, or the story is "canceled".
                if (ex is OperationCanceledException && answers is not null)
                {
                    await answers.ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
                }

                error = answers is { IsFaulted: true } ? answers.Exception!.InnerException!.Message : ex.Message;
                connection.Abort(CloseReasonKind.Error, error);
            }
        }
        finally
        {
            pending.Writer.TryComplete();
            failed.Cancel();
            if (answers is not null)
            {
                await answers.ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }

            // Whatever was sent and never answered is lost with the connection: each one is a failure, said once.
            while (pending.Reader.TryRead(out var lost))
            {
                lost.Offer.TrySetResult(null);
                Report(Outcome(lost.Entry, FileOutcomeStatus.Failed, Unanswered(cancellationToken), lost.Bytes, lost.Offset));
            }
        }

        return new TransferSummary(_verified, _failed, _skipped, _bytes, clock.Elapsed, error);
    }

    /// <summary>
    /// Records an entry the sender left out (<see cref="SendTree.Walk"/>'s: a symbolic link or special file, skipped;
    /// one it could not read, failed) in the totals and tells <see cref="FileSenderOptions.OnEntry"/>.
    /// </summary>
    public void ReportLeftOut(FileOutcome outcome) => Report(outcome);

    private async Task GreetAsync(PipeWriter output, MessageReader reader, CancellationToken cancellationToken)
    {
        TransferMessages.WriteGreeting(output, FileTransferProtocol.SenderMagic);
        await FlushAsync(output, cancellationToken).ConfigureAwait(false);
        await reader.ExpectGreetingAsync(options.GreetingTimeout, cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask FlushAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        var flush = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (flush.IsCompleted)
        {
            throw new FileTransferException("the receiver closed the connection");
        }
    }

    private void Report(FileOutcome outcome)
    {
        lock (_report)
        {
            switch (outcome.Status)
            {
                case FileOutcomeStatus.Verified:
                    _verified++;
                    break;
                case FileOutcomeStatus.Skipped:
                    _skipped++;
                    break;
                default:
                    _failed++;
                    break;
            }

            if (outcome.Status != FileOutcomeStatus.Skipped)
            {
                options.Progress?.EntryDone(outcome.IsVerified);
            }

            options.OnEntry?.Invoke(outcome);
        }
    }

    /// <summary>The reason of an entry sent and never answered: the caller stopped the transfer, or the connection ended.</summary>
    private static string Unanswered(CancellationToken stopped) =>
        stopped.IsCancellationRequested ? "interrupted before the receiver verified it" : "no answer: the connection ended";

    private static FileOutcome Outcome(FileEntry entry, FileOutcomeStatus status, string reason, long bytes = 0, long offset = 0) =>
        new(entry.Name, entry.Kind, status, reason, bytes, offset);

    /// <summary>An entry sent and not yet answered.</summary>
    private sealed class Pending(FileEntry entry)
    {
        public FileEntry Entry { get; } = entry;

        /// <summary>With <c>--resume</c>: the receiver's offer, or null when it refused the entry instead.</summary>
        public TaskCompletionSource<(long Offset, byte[] Hash)?> Offer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long Bytes { get; set; }

        public long Offset { get; set; }

        /// <summary>Set when the local file changed while it was read: the trailer is then deliberately wrong.</summary>
        public string? LocalProblem { get; set; }
    }
}
