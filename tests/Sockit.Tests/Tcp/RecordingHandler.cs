using System.Collections.Concurrent;
using Sockit.Tcp;

namespace Sockit.Tests.Tcp;

/// <summary>Wraps a handler and keeps every connection it served, so tests can read close reasons and counters.</summary>
internal sealed class RecordingHandler(ITcpConnectionHandler inner) : ITcpConnectionHandler
{
    private readonly TaskCompletionSource<TcpConnection> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<TcpConnection> Connections { get; } = new();

    /// <summary>The first connection served.</summary>
    public Task<TcpConnection> First => _first.Task;

    public async ValueTask HandleAsync(TcpConnection connection, CancellationToken stopping)
    {
        Connections.Enqueue(connection);
        _first.TrySetResult(connection);
        await inner.HandleAsync(connection, stopping);
    }
}
