using Sockit.Connections;

namespace Sockit.Services;

/// <summary>Where and how a <see cref="ForwardService"/> connects for each client. Immutable.</summary>
public sealed record ForwardOptions
{
    /// <summary>The target: <c>HOST:PORT</c>, <c>tls://HOST:PORT</c> (TLS is originated) or <c>unix:/path</c>. Required.</summary>
    public required ConnectionEndpoint Target { get; init; }

    /// <summary>How long a connect to the target (and its TLS handshake) may take (default 10 s).</summary>
    public TimeSpan ConnectTimeout { get; init; } = SocketConnector.DefaultConnectTimeout;

    /// <summary>The TLS client settings for a <c>tls://</c> target (null: verify against the system's roots, SNI = the host).</summary>
    public TlsClientOptions? TargetTls { get; init; }

    /// <summary>
    /// Buffering for each target connection (default <see cref="ConnectionOptions.Default"/>). Give it the server's
    /// <see cref="ConnectionOptions.MemoryBudget"/> so the targets' buffers count against the same bound.
    /// </summary>
    public ConnectionOptions TargetConnection { get; init; } = ConnectionOptions.Default;

    /// <summary>
    /// How long, once both directions are finished, the target connection may take to deliver what is queued
    /// before it is reset (default 5 s).
    /// </summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Makes the observer of one forwarded connection (hex dump, frame inspector); null (the default) for none.</summary>
    public Func<ForwardSession, IRelayObserver?>? Observe { get; init; }
}
