using System.Buffers;
using Sockit.Connections;

namespace Sockit.Services;

/// <summary>A room in this process alone: publishing is <see cref="Fanout.PublishAsync(in ReadOnlySequence{byte}, Connection?, CancellationToken)"/> on its members, nothing more.</summary>
public sealed class LocalRoom(Fanout members) : IFanoutRoom
{
    /// <inheritdoc />
    public Fanout Members { get; } = members ?? throw new ArgumentNullException(nameof(members));

    /// <inheritdoc />
    public int Count => Members.Count;

    /// <inheritdoc />
    public ValueTask PublishAsync(in ReadOnlySequence<byte> payload, Connection? sender, CancellationToken cancellationToken = default) =>
        Members.PublishAsync(payload, sender, cancellationToken);
}
