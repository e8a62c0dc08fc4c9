using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sockit.Connections;
using Sockit.Diagnostics;

namespace Sockit.Services;

/// <summary>
/// <c>sockit forward</c>: every accepted client gets its own connection to <see cref="ForwardOptions.Target"/>, and
/// bytes are relayed both ways at once, pipe to pipe, through the connections' bounded buffers (backpressure: a slow
/// reader on one side slows the writer on the other; nothing is queued beyond the pipes' pause thresholds).
/// </summary>
/// <remarks>
/// <para>Half-close is relayed: a side's FIN becomes a FIN to the other side after the data before it, and the other
/// direction goes on until it ends too. A reset (or a failure) of either side resets the other, and bytes the
/// destination could not take reset the source: nothing is lost silently.</para>
/// <para>A target that refuses, cannot be reached, times out or fails its TLS handshake resets the client, with one
/// warning line (rate-limited) naming the target and why; <see cref="TargetFailures"/> counts them.</para>
/// <para>When the server stops, each direction ends with a FIN after what it already read. Thread-safe: one instance
/// serves every connection of a <see cref="SocketServer"/>.</para>
/// </remarks>
public sealed class ForwardService : IConnectionHandler
{
    private readonly ForwardOptions _options;
    private readonly ILogger _logger;
    private readonly LogThrottle _failedLog = LogThrottle.PerSecond();
    private long _targetFailures;

    /// <summary>Creates the handler; nothing is connected until a client is accepted.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public ForwardService(ForwardOptions options, ILogger? logger = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Clients reset because their connection to the target could not be made.</summary>
    public long TargetFailures => Interlocked.Read(ref _targetFailures);

    /// <inheritdoc />
    public async ValueTask HandleAsync(Connection connection, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var target = await ConnectTargetAsync(connection, stopping).ConfigureAwait(false);
        if (target is null)
        {
            return;
        }

        var session = new ForwardSession(connection, target);
        Log.ForwardConnected(_logger, session.Id, connection, _options.Target.ToString(), Connection.Describe(target.LocalEndPoint));
        var observer = _options.Observe?.Invoke(session);
        var toTarget = new RelayPump(session, RelayDirection.ClientToTarget, observer, _logger);
        var toClient = new RelayPump(session, RelayDirection.TargetToClient, observer, _logger);
        try
        {
            await Task.WhenAll(toTarget.RunAsync(stopping), toClient.RunAsync(stopping)).ConfigureAwait(false);
        }
        finally
        {
            // Both directions have ended; the target gets the drain time to deliver its last bytes and FIN.
            await target.CloseAsync(_options.DrainTimeout).ConfigureAwait(false);
            var reason = connection.IsAborted || connection.CloseReason is { Kind: CloseReasonKind.Reset } ? connection.CloseReason?.Message ?? "reset"
                : target.IsAborted ? target.CloseReason?.Message ?? "target reset"
                : "both sides finished";
            Log.ForwardClosed(_logger, session.Id, connection, reason, toTarget.Bytes, toClient.Bytes);
        }
    }

    private async Task<Connection?> ConnectTargetAsync(Connection client, CancellationToken stopping)
    {
        try
        {
            return await SocketConnector.ConnectAsync(
                _options.Target, _options.ConnectTimeout, _options.TargetConnection, _options.TargetTls, _logger, cancellationToken: stopping).ConfigureAwait(false);
        }
        catch (ConnectionException ex)
        {
            Interlocked.Increment(ref _targetFailures);
            if (_failedLog.TryEnter(out var suppressed))
            {
                Log.ForwardTargetFailed(_logger, client, _options.Target.ToString(), ex.Message, LogThrottle.Suffix(suppressed));
            }

            client.Abort(CloseReasonKind.Error, $"target {_options.Target} failed: {ex.Message}", ex);
            return null;
        }
    }
}
