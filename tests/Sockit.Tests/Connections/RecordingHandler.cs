using System.Collections.Concurrent;
using Sockit.Connections;

namespace Sockit.Tests.Connections;

/// <summary>Wraps a handler and keeps every connection it served, so tests can read close reasons and counters.</summary>
internal sealed class RecordingHandler(IConnectionHandler inner) : IConnectionHandler
{
    private readonly TaskCompletionSource<Connection> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<Connection> Connections { get; } = new();

    /// <summary>The first connection served.</summary>
    public Task<Connection> First => _first.Task;

    public async ValueTask HandleAsync(Connection connection, CancellationToken stopping)
    {
        Connections.Enqueue(connection);
        _first.TrySetResult(connection);
        await inner.HandleAsync(connection, stopping);
    }
}
