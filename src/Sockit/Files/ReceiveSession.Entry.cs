using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Sockit.Files;

internal sealed partial class ReceiveSession
{
    private const UnixFileMode PermissionBits = (UnixFileMode)0x1FF; // 0o777: never setuid, setgid or sticky from a sender

    private async ValueTask<FileOutcome> ReceiveEntryAsync(FileEntry entry, CancellationToken cancellationToken)
    {
        var name = entry.Name;
        (_inProgress, _bytesBeforeEntry, _partialKept) = (entry, _bytes, false);
        string? refusal = null;
        var code = FailureCode.UnsafeName;
        if (!ReceivedName.TryResolve(receiver.Root, entry.Name, out var path, out var reason, _checkedParent))
        {
            refusal = reason;
        }
        else if (entry.Mode is < 0 or > 0xFFF)
        {
            (code, refusal) = (FailureCode.BadEntry, $"mode {entry.Mode} is not a permission mode (0 to 0o7777)");
        }
        else if (ExistingKindProblem(path, entry.Kind) is { } exists)
        {
            (code, refusal) = (FailureCode.Exists, exists);
        }
        else if (!receiver.TryClaim(path))
        {
            (code, refusal) = (FailureCode.Busy, "another sender is writing this name now");
        }

        if (refusal is not null)
        {
            await SkipRefusedAsync(entry, code, refusal, cancellationToken).ConfigureAwait(false);
            return new FileOutcome(name, entry.Kind, FileOutcomeStatus.Refused, refusal, 0);
        }

        try
        {
            return entry.Kind == FileEntryKind.Directory
                ? MakeDirectory(entry, name, path)
                : await ReceiveFileAsync(entry, name, path, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            receiver.Release(path);
        }
    }

    /// <summary>Why an existing entry at <paramref name="path"/> stops this one, or null.</summary>
    /// <remarks>One <c>lstat</c> in the common case (nothing there): the attributes come from the link itself.</remarks>
    private string? ExistingKindProblem(string path, FileEntryKind kind)
    {
        var attributes = new FileInfo(path).Attributes;
        if ((int)attributes == -1)
        {
            return null;
        }

        var isLink = attributes.HasFlag(FileAttributes.ReparsePoint);
        if (kind == FileEntryKind.Directory)
        {
            return isLink ? "a symbolic link has this name on the receiver (not followed)"
                : attributes.HasFlag(FileAttributes.Directory) ? null : "a file has this name on the receiver";
        }

        if (attributes.HasFlag(FileAttributes.Directory) && !isLink)
        {
            return "a directory has this name on the receiver";
        }

        return receiver.Options.Overwrite ? null : "exists on the receiver (not overwritten without --overwrite)";
    }

    /// <summary>Answers the refusal, and takes the content the sender sends regardless (it did not ask first).</summary>
    private async ValueTask SkipRefusedAsync(FileEntry entry, FailureCode code, string reason, CancellationToken cancellationToken)
    {
        Answer(code, reason);
        if (entry.Kind == FileEntryKind.File && !entry.Resume)
        {
            await _reader.ReadContentAsync(entry.Size, static _ => { }, cancellationToken).ConfigureAwait(false);
            await ReadTrailerAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private FileOutcome MakeDirectory(FileEntry entry, string name, string path)
    {
        try
        {
            CreateDirectories(path);
            if (receiver.Options.Overwrite || _createdDirectories.Contains(path))
            {
                if (!OperatingSystem.IsWindows())
                {
                    // The owner keeps rwx: a tree sent with a read-only folder must still be writable by the next transfer.
                    File.SetUnixFileMode(path, ((UnixFileMode)entry.Mode & PermissionBits) | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }

                Directory.SetLastWriteTimeUtc(path, entry.ModifiedAt.UtcDateTime);
            }

            AnswerVerified();
            return new FileOutcome(name, entry.Kind, FileOutcomeStatus.Verified, "", 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Answer(FailureCode.WriteError, ex.Message);
            return new FileOutcome(name, entry.Kind, FileOutcomeStatus.Failed, ex.Message, 0);
        }
    }

    /// <summary>
    /// Makes <paramref name="directory"/> and its missing parents, remembering in <see cref="_createdDirectories"/>
    /// those that were not there (one <c>stat</c> for a directory that exists; none for one this session made).
    /// </summary>
    private void CreateDirectories(string directory)
    {
        if (_createdDirectories.Contains(directory))
        {
            return;
        }

        for (var missing = directory; missing.Length > receiver.Root.Length && !Directory.Exists(missing); missing = Path.GetDirectoryName(missing)!)
        {
            _createdDirectories.Add(missing);
        }

        Directory.CreateDirectory(directory);
    }

    private async ValueTask<FileOutcome> ReceiveFileAsync(FileEntry entry, string name, string path, CancellationToken cancellationToken)
    {
        var partial = ReceivedName.PartialPath(path);
        SafeFileHandle file;
        var fresh = false; // created just now, empty, with its mode
        var exactMode = false;
        try
        {
            var parent = Path.GetDirectoryName(path)!;
            if (parent != _checkedParent)
            {
                CreateDirectories(parent);
                _checkedParent = parent;
            }

            // The common case, a new name: one open(2) with O_EXCL and the mode (LinuxFileCalls). Otherwise (a stale
            // partial file, --resume) OpenPartial: never through a symbolic link, never anything but a regular file.
            // Not FileMode.Create: .NET truncates with ftruncate(2) even a file it has just created, and ext4 takes a
            // truncation to 0 as "replace this file" and writes it back on close (auto_da_alloc): a synchronous flush
            // per file. A stale partial file is truncated below only when it has bytes.
            if (OperatingSystem.IsLinux())
            {
                var mode = entry.Mode & (int)PermissionBits;
                if (!entry.Resume && LinuxFileCalls.TryCreateNew(partial, mode, out exactMode, out _) is { } created)
                {
                    (file, fresh) = (created, true);
                }
                else
                {
                    file = LinuxFileCalls.OpenPartial(partial, mode, out fresh, out exactMode);
                }
            }
            else
            {
                file = File.OpenHandle(partial, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, FileOptions.None);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await SkipRefusedAsync(entry, FailureCode.WriteError, ex.Message, cancellationToken).ConfigureAwait(false);
            return new FileOutcome(name, entry.Kind, FileOutcomeStatus.Failed, ex.Message, 0);
        }

        var hash = _hash;
        hash.GetHashAndReset();
        var offset = 0L;
        var keep = false;
        var moved = false;
        string? writeError = null;
        try
        {
            if (entry.Resume)
            {
                // What an earlier transfer left is kept whatever happens to this one before it agrees on an offset (the
                // sender gone after the offer, a bad answer): only the sender's START 0 gives it up.
                keep = !fresh;
                offset = await AgreeOnOffsetAsync(file, entry.Size, hash, cancellationToken).ConfigureAwait(false);
            }

            if (!fresh && RandomAccess.GetLength(file) != offset)
            {
                RandomAccess.SetLength(file, offset);
            }

            receiver.Options.Progress?.StartFile(ReceivedName.Printable(name), entry.Size, offset);
            var position = offset;
            var segments = new List<ReadOnlyMemory<byte>>();
            keep = true; // from here on, a lost connection leaves the partial file for --resume
            await _reader.ReadContentAsync(entry.Size - offset, piece =>
            {
                foreach (var segment in piece)
                {
                    hash.AppendData(segment.Span);
                    segments.Add(segment);
                }

                if (writeError is null)
                {
                    try
                    {
                        RandomAccess.Write(file, segments, position);
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        writeError = ex.Message; // the rest is taken and dropped; the partial file goes
                    }
                    catch (ArgumentException)
                    {
                        // EFBIG: .NET reports write(2)'s "file too large" as an argument error on the length.
                        writeError = "the file is larger than the file system or the process's file-size limit allows";
                    }
                }

                segments.Clear();
                position += piece.Length;
                _bytes += piece.Length;
                receiver.Options.Progress?.AddBytes(piece.Length);
            }, cancellationToken).ConfigureAwait(false);

            var expected = await ReadTrailerAsync(cancellationToken).ConfigureAwait(false);
            keep = false;
            if (writeError is not null)
            {
                return Fail(FailureCode.WriteError, $"write error: {writeError}");
            }

            if (!hash.GetHashAndReset().AsSpan().SequenceEqual(expected))
            {
                return Fail(FailureCode.HashMismatch, "SHA-256 mismatch: what arrived is not what was sent (nothing stored)");
            }

            if (!OperatingSystem.IsWindows() && !exactMode)
            {
                File.SetUnixFileMode(file, (UnixFileMode)entry.Mode & PermissionBits);
            }

            if (!OperatingSystem.IsLinux() || !LinuxFileCalls.TrySetModifiedTime(file, entry.ModifiedAt))
            {
                File.SetLastWriteTimeUtc(file, entry.ModifiedAt.UtcDateTime);
            }

            file.Dispose();
            if (MoveIntoPlace(partial, path) is { } moveFailure)
            {
                return Fail(moveFailure.Code, moveFailure.Reason);
            }

            moved = true;
            AnswerVerified();
            return new FileOutcome(name, entry.Kind, FileOutcomeStatus.Verified, "", entry.Size - offset, offset);
        }
        finally
        {
            file.Dispose();
            _partialKept = keep && !moved;
            if (!keep && !moved)
            {
                TryDelete(partial);
            }
        }

        FileOutcome Fail(FailureCode code, string reason)
        {
            Answer(code, reason);
            return new FileOutcome(name, entry.Kind, FileOutcomeStatus.Failed, reason, entry.Size - offset, offset);
        }
    }

    /// <summary>
    /// Renames the verified partial file to its final name: one <c>renameat2</c> on Linux (without
    /// <c>--overwrite</c>, <c>RENAME_NOREPLACE</c>: a name that appeared meanwhile is never replaced), else
    /// <c>File.Move</c>. Null when done, else why not.
    /// </summary>
    private (FailureCode Code, string Reason)? MoveIntoPlace(string partial, string path)
    {
        const string Appeared = "appeared on the receiver during the transfer (not overwritten without --overwrite)";
        var overwrite = receiver.Options.Overwrite;
        if (OperatingSystem.IsLinux())
        {
            var error = LinuxFileCalls.Rename(partial, path, replace: overwrite);
            if (error == 0)
            {
                return null;
            }

            if (error == LinuxFileCalls.FileExists && !overwrite)
            {
                return (FailureCode.Exists, Appeared);
            }

            if (!LinuxFileCalls.IsUnsupported(error))
            {
                return (FailureCode.WriteError, $"rename failed: {Marshal.GetPInvokeErrorMessage(error)}");
            }
        }

        try
        {
            File.Move(partial, path, overwrite);
            return null;
        }
        catch (IOException) when (!overwrite && Path.Exists(path))
        {
            return (FailureCode.Exists, Appeared);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (FailureCode.WriteError, $"rename failed: {ex.Message}");
        }
    }

    /// <summary>
    /// <c>--resume</c>: offers what the partial file holds (its length, at most the entry's size, and its SHA-256),
    /// then takes the sender's choice: that offset (the prefix matched theirs) or 0. Leaves <paramref name="hash"/> fed
    /// with the prefix that is kept.
    /// </summary>
    private async ValueTask<long> AgreeOnOffsetAsync(SafeFileHandle file, long size, IncrementalHash hash, CancellationToken cancellationToken)
    {
        var have = Math.Min(RandomAccess.GetLength(file), size);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            for (var position = 0L; position < have;)
            {
                var read = RandomAccess.Read(file, buffer.AsSpan(0, (int)Math.Min(buffer.Length, have - position)), position);
                if (read == 0)
                {
                    have = position;
                    break;
                }

                hash.AppendData(buffer, 0, read);
                position += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        TransferMessages.WriteOffer(_output, have, hash.GetCurrentHash());
        _unflushed = true;
        var message = await _reader.ReadMessageAsync(cancellationToken).ConfigureAwait(false);
        if (message is not [FileTransferProtocol.StartMessage, ..] || !TransferMessages.TryReadStart(message, out var start) || (start != 0 && start != have))
        {
            throw new FileTransferException($"the sender answered an offer of {have} byte(s) with something else than a start at 0 or {have}");
        }

        if (start == 0)
        {
            hash.GetHashAndReset();
        }

        return start;
    }

    private async ValueTask<byte[]> ReadTrailerAsync(CancellationToken cancellationToken)
    {
        var message = await _reader.ReadMessageAsync(cancellationToken).ConfigureAwait(false);
        return message is [FileTransferProtocol.TrailerMessage, ..] && message.Length == 1 + FileTransferProtocol.HashLength
            ? message[1..]
            : throw new FileTransferException("the sender sent no SHA-256 trailer after a file's content");
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left behind under its partial name, never under the final one.
        }
    }
}
