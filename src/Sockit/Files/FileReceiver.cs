using System.Collections.Concurrent;
using Sockit.Connections;

namespace Sockit.Files;

/// <summary>
/// The receiving side of the file transfer protocol (<c>docs/protocol.md</c>), as a connection handler: serve it with a
/// <see cref="SocketServer"/> and any number of senders are served at once, each on its own connection.
/// </summary>
/// <remarks>
/// <para>Safety, whatever the sender claims: names are judged by <see cref="ReceivedName"/>; content goes to a partial
/// file (<see cref="ReceivedName.PartialPath"/>) and is renamed to its final name only after its SHA-256 matches the
/// trailer, so an interrupted transfer never leaves a file under its final name; an existing file is never replaced
/// unless <see cref="FileReceiverOptions.Overwrite"/>; two senders writing the same name at once: the second is refused
/// (<see cref="FailureCode.Busy"/>); only the permission bits (0o777) of a sent mode are applied, never setuid,
/// setgid or sticky.</para>
/// <para>A sender that goes silent mid-file is ended by the server's <see cref="SocketServerOptions.IdleTimeout"/> (a
/// stalled message by its <see cref="SocketServerOptions.FrameTimeout"/>; a file's content is not framed): its partial
/// file is kept for resuming, its name is free again, and <see cref="FileReceiverOptions.OnSessionEnded"/> says which
/// timeout and which file.</para>
/// <para>A sender that breaks the protocol loses its connection (reset) and nothing else: other senders go on.
/// Memory per connection is bounded by the connection's pipe, whatever the file sizes.</para>
/// </remarks>
public sealed class FileReceiver : IConnectionHandler
{
    private readonly ConcurrentDictionary<string, byte> _busy = new(StringComparer.Ordinal);

    /// <summary>Creates a receiver writing into <see cref="FileReceiverOptions.Directory"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    public FileReceiver(FileReceiverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!System.IO.Directory.Exists(options.Directory))
        {
            throw new DirectoryNotFoundException($"--dir: '{options.Directory}' is not a directory");
        }

        Options = options;
        Root = Path.GetFullPath(options.Directory);
    }

    /// <summary>The settings in force.</summary>
    public FileReceiverOptions Options { get; }

    /// <summary>The receiving directory as a full path.</summary>
    public string Root { get; }

    /// <inheritdoc />
    /// <remarks>Never throws for what the sender did: a protocol error is reported through
    /// <see cref="FileReceiverOptions.OnSessionEnded"/> and the connection is reset.</remarks>
    public async ValueTask HandleAsync(Connection connection, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await new ReceiveSession(this, connection).RunAsync(stopping).ConfigureAwait(false);
    }

    /// <summary>Marks <paramref name="path"/> as being written by one sender; false when another holds it.</summary>
    internal bool TryClaim(string path) => _busy.TryAdd(path, 0);

    internal void Release(string path) => _busy.TryRemove(path, out _);
}
