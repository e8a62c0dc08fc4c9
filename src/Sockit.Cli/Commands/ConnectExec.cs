using Microsoft.Extensions.Logging;
using Sockit.Connections;
using Sockit.Services;

namespace Sockit.Cli.Commands;

/// <summary>
/// <c>sockit connect HOST PORT --exec COMMAND</c>: the child's stdin and stdout are the connection (ncat
/// <c>HOST PORT -c COMMAND</c>, socat <c>TCP:HOST:PORT EXEC:COMMAND</c>).
/// </summary>
/// <remarks>
/// The exit status is the child's, as with ncat, whose process becomes the command: <c>--exec 'exit 3'</c> exits 3,
/// a child ended by a signal 128 + its number. Sockit's own failures exit 1 with one line: the connection could not be
/// made, the child could not be started, the server reset the connection (the child is stopped), or the child's
/// output could not all be delivered. Ctrl-C stops the child (SIGTERM, then SIGKILL) and exits 0, as every command does.
/// </remarks>
internal static class ConnectExec
{
    public static async Task<ExitCode> RunAsync(Connection connection, ExecOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        ExecResult result;
        try
        {
            result = await new ExecBridge(connection, options, logger).RunAsync(cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            // Send what the child wrote last; Ctrl-C stops waiting for a server that does not read it.
            await connection.CloseAsync().AsTask().WaitAsync(cancellationToken);
        }
        finally
        {
            await connection.CloseAsync(TimeSpan.Zero);
        }

        if (connection.CloseReason is { Kind: CloseReasonKind.Reset or CloseReasonKind.Error } failed)
        {
            throw new IOException(failed.Message, failed.Exception);
        }

        if (connection.BytesDropped > 0)
        {
            throw new IOException($"{connection.BytesDropped} byte(s) of the command's output were never sent: the server had not read them");
        }

        return (ExitCode)result.ExitStatus;
    }
}
