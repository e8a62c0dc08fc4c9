using Sockit.Connections;

namespace Sockit.Services;

/// <summary>One forwarded connection: the accepted client and its own connection to the target.</summary>
/// <param name="Client">The accepted connection (its <see cref="Connection.Id"/> names the session in logs).</param>
/// <param name="Target">The connection made to the target for this client.</param>
public sealed record ForwardSession(Connection Client, Connection Target)
{
    /// <summary>The session's id: the client connection's process-wide id.</summary>
    public long Id => Client.Id;
}
