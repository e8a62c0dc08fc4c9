using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sockit.Connections;
using Sockit.Diagnostics;

namespace Sockit.Services;

/// <summary>
/// <c>sockit listen --exec COMMAND</c>: runs <c>/bin/sh -c COMMAND</c> for each connection with its stdin and stdout
/// bound to the socket (ncat <c>-l -k -c</c>, socat <c>TCP-LISTEN:…,fork EXEC:…</c>). See <see cref="ExecBridge"/> for
/// half-close, the environment, stderr and how children are stopped. Over TCP, Unix domain sockets and TLS alike.
/// </summary>
/// <remarks>
/// A child that cannot be started resets its connection and logs one warning; other connections are not affected.
/// When the server stops, each running child gets SIGTERM, then SIGKILL after the grace period, and the server's stop
/// waits for them: none is left behind. Thread-safe: one instance serves every connection.
/// </remarks>
public sealed class ExecService : IConnectionHandler
{
    private readonly ExecOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the handler; each connection gets its own child.</summary>
    /// <exception cref="ArgumentException"><see cref="ExecOptions.Command"/> is empty or blank.</exception>
    public ExecService(ExecOptions options, ILogger? logger = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Command, nameof(options));
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public async ValueTask HandleAsync(Connection connection, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(connection);
        try
        {
            await new ExecBridge(connection, _options, _logger).RunAsync(stopping).ConfigureAwait(false);
        }
        catch (ExecStartException ex)
        {
            Log.ExecNotStarted(_logger, connection, ex.Message);
            connection.Abort(CloseReasonKind.Error, ex.Message, ex);
        }
    }
}
