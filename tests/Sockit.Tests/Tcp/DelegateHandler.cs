using Sockit.Tcp;

namespace Sockit.Tests.Tcp;

/// <summary>A handler written inline in a test.</summary>
internal sealed class DelegateHandler(Func<TcpConnection, CancellationToken, Task> handle) : ITcpConnectionHandler
{
    public async ValueTask HandleAsync(TcpConnection connection, CancellationToken stopping) => await handle(connection, stopping);
}
