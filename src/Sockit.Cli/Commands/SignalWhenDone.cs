using Sockit.Connections;

namespace Sockit.Cli.Commands;

/// <summary>For <c>--once</c>: tells the command when the one client is done.</summary>
internal sealed class SignalWhenDone(IConnectionHandler inner, TaskCompletionSource done) : IConnectionHandler
{
    public async ValueTask HandleAsync(Connection connection, CancellationToken stopping)
    {
        try
        {
            await inner.HandleAsync(connection, stopping);
        }
        finally
        {
            done.TrySetResult();
        }
    }
}
