using System.Collections.Concurrent;
using Sockit.Connections;

namespace Sockit.Tests.Connections;

/// <summary>Wraps a handler and keeps every connection it served, so tests can read close reasons and counters.</summary>
internal sealed class RecordingHandler(IConnectionHandler inner) : IConnectionHandler
{
    private readonly TaskCompletionSource<SocketConnection> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<SocketConnection> Connections { get; } = new();

    /// <summary>The first connection served.</summary>
    public Task<SocketConnection> First => _first.Task;

    public async ValueTask HandleAsync(SocketConnection connection, CancellationToken stopping)
    {
        Connections.Enqueue(connection);
        _first.TrySetResult(connection);
        await inner.HandleAsync(connection, stopping);
    }
}
