using System.Diagnostics;
using System.IO.Pipelines;
using System.Security.Cryptography;
using Sockit.Connections;

namespace Sockit.Files;

/// <summary>One sender's connection to a <see cref="FileReceiver"/>: the greeting, then entry after entry until the end message.</summary>
internal sealed partial class ReceiveSession(FileReceiver receiver, Connection connection)
{
    private readonly PipeWriter _output = connection.Output;
    private readonly MessageReader _reader = new(connection.Input, "sender");
    private readonly string _peer = connection.ToString();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    // One hash for the session, reset per file (creating one costs more than a small file), and the last parent
    // directory found to be a real one (a tree's files come folder by folder: one check per folder, not per file).
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private string? _checkedParent;

    // The directories this session made (for its directory entries and its files' parents): only these take the
    // sender's mode and mtime without --overwrite; one that was there before is merged into and left as it was.
    private readonly HashSet<string> _createdDirectories = new(StringComparer.Ordinal);

    // The entry under way, the session's byte count when it began and whether its partial file was kept: a session
    // that ends early reports that entry as failed, saying which file it cut and that --resume can finish it.
    private FileEntry? _inProgress;
    private long _bytesBeforeEntry;
    private bool _partialKept;

    private bool _unflushed;
    private long _verified;
    private long _failed;
    private long _bytes;

    public async Task RunAsync(CancellationToken stopping)
    {
        string? error = null;
        _reader.BeforeWait = FlushAsync;
        try
        {
            TransferMessages.WriteGreeting(_output, FileTransferProtocol.ReceiverMagic);
            _unflushed = true;
            await FlushAsync().ConfigureAwait(false);
            await _reader.ExpectGreetingAsync(receiver.Options.GreetingTimeout, stopping).ConfigureAwait(false);

            while (true)
            {
                var message = await _reader.ReadMessageAsync(stopping).ConfigureAwait(false)
                    ?? throw new FileTransferException("the sender closed the connection before its end message");
                if (message[0] == FileTransferProtocol.EndMessage && message.Length == 1)
                {
                    break;
                }

                if (message[0] != FileTransferProtocol.EntryMessage)
                {
                    throw new FileTransferException($"the sender sent message type 0x{message[0]:x2} where an entry or the end was expected");
                }

                if (!TransferMessages.TryReadEntry(message, out var entry, out var bad))
                {
                    throw new FileTransferException(bad);
                }

                var outcome = await ReceiveEntryAsync(entry, stopping).ConfigureAwait(false);
                _inProgress = null;
                Report(outcome);
            }

            await FlushAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            error = "stopped while the transfer was going on";
            connection.Abort(CloseReasonKind.ServerStopping, error);
        }
        catch (Exception ex)
        {
            // A broken sender (or anything unforeseen here) loses its connection, nothing else; a reset tells it
            // something went wrong, and the summary says what. When this side had already cut the connection (a
            // sender silent past the idle timeout, a stalled message past the frame timeout), the read here only saw
            // the stream end: the close reason says why, not "the sender closed the connection".
            error = ServerCut.Why(connection) ?? ex.Message;
            connection.Abort(CloseReasonKind.Error, ex.Message, ex);
        }
        finally
        {
            _hash.Dispose();
            if (_inProgress is { } cut)
            {
                // The entry under way is a failed one, counted as such, and the session's error names it.
                error += _partialKept ? "; partial file kept for --resume" : "";
                Report(new FileOutcome(cut.Name, cut.Kind, FileOutcomeStatus.Failed, error!, _bytes - _bytesBeforeEntry));
                error = $"{ReceivedName.Printable(cut.Name)}: {error}";
            }

            receiver.Options.OnSessionEnded?.Invoke(_peer, new TransferSummary(_verified, _failed, 0, _bytes, _clock.Elapsed, error));
        }
    }

    private void Report(FileOutcome outcome)
    {
        if (outcome.IsVerified)
        {
            _verified++;
        }
        else
        {
            _failed++;
        }

        receiver.Options.Progress?.EntryDone(outcome.IsVerified);
        receiver.Options.OnEntry?.Invoke(_peer, outcome);
    }

    /// <summary>
    /// Answers FAILED. The reason goes to whoever connected: the receiving directory's own path, which .NET's messages
    /// carry ("Access to the path '/srv/inbox/a' is denied."), is left out of it, so a sender learns names relative to
    /// the directory and nothing of this machine's layout. The receiver's own lines keep the whole message.
    /// </summary>
    private void Answer(FailureCode code, string reason)
    {
        var root = Path.TrimEndingDirectorySeparator(receiver.Root);
        if (root != Path.GetPathRoot(root))
        {
            reason = reason.Replace(root + Path.DirectorySeparatorChar, "", StringComparison.Ordinal).Replace(root, ".", StringComparison.Ordinal);
        }

        TransferMessages.WriteFailed(_output, code, reason);
        _unflushed = true;
    }

    private void AnswerVerified()
    {
        TransferMessages.WriteVerified(_output);
        _unflushed = true;
    }

    private async ValueTask FlushAsync()
    {
        if (_unflushed)
        {
            _unflushed = false;
            var flush = await _output.FlushAsync().ConfigureAwait(false);
            if (flush.IsCompleted)
            {
                throw new FileTransferException("the sender stopped reading answers");
            }
        }
    }
}
