using System.Diagnostics;
using System.Security.Cryptography;
using Sockit.Connections;

namespace Sockit.Files;

/// <summary>
/// <c>send --raw</c>: one file's bytes and nothing else, then a half-close (FIN), as <c>nc -N host port &lt; file</c>
/// does; then waits until the peer has taken every byte (see <see cref="Connection.CloseAsync"/>). Any listener that
/// reads to the end of stream can receive it (<c>nc -l PORT &gt; file</c>).
/// </summary>
public static class RawFileSender
{
    private const int ChunkSize = 256 << 10;

    /// <summary>
    /// Sends the file at <paramref name="path"/> and closes the connection. Returns the outcome, the SHA-256 of
    /// what was sent (lower-case hex) and the time taken.
    /// </summary>
    /// <exception cref="IOException">The file cannot be read, or the connection failed (reset, broken pipe).</exception>
    public static async Task<(FileOutcome Outcome, string Sha256, TimeSpan Elapsed)> SendAsync(
        Connection connection, string path, TransferProgress? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var clock = Stopwatch.StartNew();
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.SequentialScan);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var name = Path.GetFileName(path);
        var output = connection.Output;
        var sent = 0L;
        progress?.StartFile(ReceivedName.Printable(name), RandomAccess.GetLength(file), 0);
        try
        {
            while (true)
            {
                var memory = output.GetMemory(ChunkSize);
                var read = RandomAccess.Read(file, memory.Span, sent);
                if (read == 0)
                {
                    break;
                }

                hash.AppendData(memory.Span[..read]);
                output.Advance(read);
                sent += read;
                progress?.AddBytes(read);
                var flush = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (flush.IsCompleted)
                {
                    throw new IOException($"the peer stopped reading after {connection.BytesSent} byte(s)");
                }
            }

            await connection.CloseAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            connection.Abort(CloseReasonKind.LocalClosed, "stopped");
            throw;
        }

        if (connection.BytesDropped > 0 || connection.CloseReason is { Kind: CloseReasonKind.Reset or CloseReasonKind.Error })
        {
            throw new IOException($"{connection.BytesDropped} byte(s) were never delivered: {connection.CloseReason?.Message}");
        }

        progress?.EntryDone(verified: true);
        return (new FileOutcome(name, FileEntryKind.File, FileOutcomeStatus.Verified, "", sent), Convert.ToHexStringLower(hash.GetHashAndReset()), clock.Elapsed);
    }
}
