using Sockit.Connections;

namespace Sockit.Tests.Connections;

/// <summary>A handler written inline in a test.</summary>
internal sealed class DelegateHandler(Func<Connection, CancellationToken, Task> handle) : IConnectionHandler
{
    public async ValueTask HandleAsync(Connection connection, CancellationToken stopping) => await handle(connection, stopping);
}
