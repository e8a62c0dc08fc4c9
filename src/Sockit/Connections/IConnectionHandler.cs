namespace Sockit.Connections;

/// <summary>What a <see cref="SocketServer"/> does with each connection (echo, chat, relay…).</summary>
public interface IConnectionHandler
{
    /// <summary>
    /// Serves one connection; called concurrently for different connections. When it returns, the server
    /// sends what was queued, sends FIN and closes the socket. Exceptions close the connection with a reason;
    /// they never reach other connections.
    /// </summary>
    /// <param name="connection">The connection; read its <c>Input</c>, write its <c>Output</c>.</param>
    /// <param name="stopping">Cancelled when the server stops: finish the frame at hand and return.</param>
    ValueTask HandleAsync(Connection connection, CancellationToken stopping);
}
