using System.Diagnostics;
using System.Security.Cryptography;
using Sockit.Connections;

namespace Sockit.Files;

/// <summary>
/// <c>receive --raw NAME</c>: a connection's bytes, with no protocol at all (what <c>nc host port &lt; file</c> sends),
/// become one file. They go to the partial file and are renamed to NAME only at a clean end of stream (FIN); a reset,
/// an error or the server's cut (a sender silent past its idle timeout) removes the partial file. The SHA-256 and
/// length of what arrived are reported, to compare by hand.
/// </summary>
public sealed class RawFileReceiver : IConnectionHandler
{
    private readonly string _path;
    private readonly string _name;
    private readonly bool _overwrite;

    /// <summary>Receives into <paramref name="name"/> (a safe relative name, see <see cref="ReceivedName"/>) inside <paramref name="directory"/>.</summary>
    /// <exception cref="ArgumentException">The name is not safe, or already exists and <paramref name="overwrite"/> is false.</exception>
    public RawFileReceiver(string directory, string name, bool overwrite)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"--dir: '{directory}' is not a directory");
        }

        if (!ReceivedName.TryResolve(Path.GetFullPath(directory), name, out _path, out var reason))
        {
            throw new ArgumentException($"--raw: '{ReceivedName.Printable(name)}' is refused: {reason}");
        }

        if (Path.Exists(_path) && !overwrite)
        {
            throw new ArgumentException($"--raw: '{ReceivedName.Printable(name)}' exists in {directory} (use --overwrite to replace it)");
        }

        _overwrite = overwrite;
        _name = name;
        Name = ReceivedName.Printable(name);
    }

    /// <summary>The name as given, printable.</summary>
    public string Name { get; }

    /// <summary>What happened to the one file, once the connection is over (null before).</summary>
    public FileOutcome? Outcome { get; private set; }

    /// <summary>The SHA-256 of what arrived (lower-case hex, as <c>sha256sum</c> prints it), once verified.</summary>
    public string? Sha256 { get; private set; }

    /// <summary>From the connection to its end.</summary>
    public TimeSpan Elapsed { get; private set; }

    /// <inheritdoc />
    public async ValueTask HandleAsync(Connection connection, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var clock = Stopwatch.StartNew();
        var partial = ReceivedName.PartialPath(_path);
        var bytes = 0L;
        var stored = false;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using (var file = File.OpenHandle(partial, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None))
            {
                if (RandomAccess.GetLength(file) != 0)
                {
                    RandomAccess.SetLength(file, 0); // a stale partial file only: see ReceiveSession (ext4 auto_da_alloc)
                }

                var segments = new List<ReadOnlyMemory<byte>>();
                while (true)
                {
                    var result = await connection.Input.ReadAsync(stopping).ConfigureAwait(false);
                    foreach (var segment in result.Buffer)
                    {
                        hash.AppendData(segment.Span);
                        segments.Add(segment);
                    }

                    RandomAccess.Write(file, segments, bytes);
                    segments.Clear();
                    bytes += result.Buffer.Length;
                    connection.Input.AdvanceTo(result.Buffer.End);
                    if (result.IsCompleted)
                    {
                        break; // a clean FIN, or the server's cut (below): a reset throws from ReadAsync instead
                    }
                }
            }

            if (ServerCut.Why(connection) is { } cut)
            {
                throw new IOException(cut); // a sender silent past the idle timeout has not finished: its FIN never came
            }

            File.Move(partial, _path, _overwrite);
            stored = true;
            Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            Outcome = new FileOutcome(_name, FileEntryKind.File, FileOutcomeStatus.Verified, "", bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            var why = ex is OperationCanceledException ? "stopped before the sender finished" : ex.Message;
            Outcome = new FileOutcome(_name, FileEntryKind.File, FileOutcomeStatus.Failed, $"{why} (after {bytes} byte(s); nothing stored)", bytes);
            connection.Abort(CloseReasonKind.Error, why);
        }
        finally
        {
            Elapsed = clock.Elapsed;
            if (!stored)
            {
                try
                {
                    File.Delete(partial);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Left under its partial name, never the final one.
                }
            }
        }
    }
}
