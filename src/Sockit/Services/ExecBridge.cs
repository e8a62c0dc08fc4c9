using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sockit.Connections;
using Sockit.Diagnostics;
using Sockit.Services.Internal;

namespace Sockit.Services;

/// <summary>
/// Runs <c>/bin/sh -c COMMAND</c> with its stdin and stdout bound to a <see cref="Connection"/>: what ncat's
/// <c>-e</c>/<c>-c</c> and socat's <c>EXEC:</c> do, for one connection, on either side (<see cref="ExecService"/> on a
/// server, <c>sockit connect --exec</c> on a client). Works over TCP, Unix domain sockets and TLS alike.
/// </summary>
/// <remarks>
/// <para>Both directions are pumped at once through bounded buffers (the connection's pipes and the kernel's socket
/// buffers): a child that writes a lot before it reads, or a peer that sends a lot before it reads, waits for the
/// other side and never deadlocks.</para>
/// <para>Half-close: the peer's FIN closes the child's stdin; the child's stdout EOF sends FIN. The run ends when the
/// child has exited and its stdout has ended; what the peer sends after that, the child never reads (closing with
/// unread bytes resets the connection, as closing any socket does).</para>
/// <para>The child's environment adds <c>SOCKIT_PEER_ADDR</c>, <c>SOCKIT_PEER_PORT</c>, <c>SOCKIT_LOCAL_ADDR</c> and
/// <c>SOCKIT_LOCAL_PORT</c>: an IP address without brackets and a port; for a Unix domain socket, the path (<c>@name</c>
/// for an abstract one, empty for an unnamed client) and an empty port. Its stderr goes to
/// <see cref="ExecOptions.StandardError"/>, each line prefixed with the peer.</para>
/// <para>Stopping: when the peer resets, the connection ends while the child still writes, or the caller's token is
/// cancelled (the server is stopping), the child's process group gets SIGTERM, and SIGKILL after
/// <see cref="ExecOptions.StopGracePeriod"/>. SIGTERM reaches every process of the command (<c>a | b</c>, background
/// jobs); a process that leaves the group (its own <c>setsid</c>) is not followed.</para>
/// </remarks>
public sealed class ExecBridge
{
    private const int ReadSize = 16 * 1024;

    private readonly Connection _connection;
    private readonly ExecOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a bridge for <paramref name="connection"/>; nothing starts until <see cref="RunAsync"/>.</summary>
    /// <exception cref="ArgumentException"><see cref="ExecOptions.Command"/> is empty.</exception>
    public ExecBridge(Connection connection, ExecOptions options, ILogger? logger = null)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Command, nameof(options));
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Starts the child and pumps both directions until it has exited and its stdout has ended. Call once. Completes
    /// the connection's <see cref="Connection.Output"/> (FIN) and stops reading its <see cref="Connection.Input"/>;
    /// closing the connection is the caller's.
    /// </summary>
    /// <param name="stopping">Cancelled: the child is stopped (SIGTERM, then SIGKILL) and the run returns normally.</param>
    /// <returns>The child's exit status, and why it was stopped if it was.</returns>
    /// <exception cref="ExecStartException">The child could not be started; nothing was read or sent.</exception>
    public async Task<ExecResult> RunAsync(CancellationToken stopping = default)
    {
        // fork and exec take milliseconds, under a lock all children share: never on a socket's I/O thread (inline completions).
        var environment = ExecEnvironment.For(_connection);
        using var child = await Task.Run(() => ChildProcess.Start(_options.Shell, _options.Command, environment)).ConfigureAwait(false);
        Log.ExecStarted(_logger, _connection, child.Id, _options.Shell, _options.Command);

        var stopRequested = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stopInbound = new CancellationTokenSource();
        using var stopReading = new CancellationTokenSource();
        var inbound = PumpInboundAsync(child.Stdio, stopRequested, stopInbound.Token);
        var outbound = PumpOutboundAsync(child.Stdio, stopRequested, stopReading.Token);
        var errors = StderrLines.PumpAsync(child.StandardError, _connection + ": ", _options.StandardError ?? Console.Error, stopReading.Token);
        var exited = child.WaitForExitAsync();
        var finished = Task.WhenAll(exited, outbound);
        var watching = StopWhenClosedAsync(outbound, stopRequested);

        string? stoppedBecause = null;
        using (stopping.Register(() => stopRequested.TrySetResult("the server is stopping")))
        {
            if (await Task.WhenAny(finished, stopRequested.Task).ConfigureAwait(false) != finished)
            {
                stoppedBecause = await stopRequested.Task.ConfigureAwait(false);
                Log.ExecStopping(_logger, _connection, child.Id, stoppedBecause, _options.StopGracePeriod.TotalSeconds);
                if (await child.StopAsync(finished, _options.StopGracePeriod).ConfigureAwait(false))
                {
                    Log.ExecKilled(_logger, _connection, child.Id, _options.StopGracePeriod.TotalSeconds);
                }
            }
        }

        await exited.ConfigureAwait(false);
        // The child is gone; its stdout and stderr end too unless something it started left the group and holds them.
        await StopLingeringReadsAsync(Task.WhenAll(outbound, errors), stopReading).ConfigureAwait(false);
        await stopInbound.CancelAsync().ConfigureAwait(false); // Nobody reads the child's stdin any more.
        await Task.WhenAll(inbound, outbound, errors, watching).ConfigureAwait(false);

        var signal = child.ExitStatus > 128 ? $" (signal {child.ExitStatus - 128})" : "";
        Log.ExecExited(_logger, _connection, child.Id, child.ExitStatus, signal);
        return new ExecResult(child.ExitStatus, stoppedBecause);
    }

    /// <summary>
    /// Connection → child's stdin, until the peer's FIN (then closes stdin), the child closes its stdin, or a reset
    /// (then asks for the child to be stopped). Never throws.
    /// </summary>
    private async Task PumpInboundAsync(Socket stdin, TaskCompletionSource<string> stopRequested, CancellationToken cancellationToken)
    {
        var input = _connection.Input;
        try
        {
            while (true)
            {
                ReadResult result;
                try
                {
                    result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return; // The child is gone.
                }
                catch (Exception ex)
                {
                    stopRequested.TrySetResult("the connection failed: " + ex.Message);
                    return;
                }

                var buffer = result.Buffer;
                try
                {
                    foreach (var segment in buffer)
                    {
                        await SendAllAsync(stdin, segment, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
                {
                    return; // The child closed its stdin or exited, and will not read the rest.
                }
                finally
                {
                    input.AdvanceTo(buffer.End);
                }

                if (result.IsCanceled)
                {
                    stopRequested.TrySetResult("the connection was aborted");
                    return;
                }

                if (result.IsCompleted)
                {
                    return; // The peer's FIN: the child's stdin ends below.
                }
            }
        }
        finally
        {
            ShutDownQuietly(stdin); // EOF on the child's stdin; its stdout, the same socket, still works.
        }
    }

    /// <summary>
    /// Child's stdout → connection, until its EOF (then completes the connection's output: FIN) or until the peer can
    /// take nothing more (then asks for the child to be stopped). Never throws.
    /// </summary>
    private async Task PumpOutboundAsync(Socket stdout, TaskCompletionSource<string> stopRequested, CancellationToken cancellationToken)
    {
        var output = _connection.Output;
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await stdout.ReceiveAsync(output.GetMemory(ReadSize), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
                {
                    read = 0;
                }

                if (read == 0)
                {
                    await output.CompleteAsync().ConfigureAwait(false); // FIN, after what is queued.
                    return;
                }

                output.Advance(read);
                var flush = await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    stopRequested.TrySetResult("the peer takes no more: " + (_connection.CloseReason?.Message ?? "the connection ended"));
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A connection that failed while we wrote to it (FlushAsync rethrows the send loop's error).
            stopRequested.TrySetResult("the connection failed: " + ex.Message);
        }
    }

    /// <summary>
    /// A connection that ends (idle timeout, a reset seen by neither pump) while the child still writes stops it. Once the
    /// child's stdout has ended, the end of the connection is expected, and the child is left to exit on its own.
    /// </summary>
    private async Task StopWhenClosedAsync(Task outbound, TaskCompletionSource<string> stopRequested)
    {
        await Task.WhenAny(_connection.Closed, outbound).ConfigureAwait(false);
        if (!outbound.IsCompleted)
        {
            stopRequested.TrySetResult("the connection closed: " + (_connection.CloseReason?.Message ?? "closed"));
        }
    }

    /// <summary>Waits a moment for reads that should end with the child; past that, cancels them (see <see cref="ExecOptions.StopGracePeriod"/>).</summary>
    private async Task StopLingeringReadsAsync(Task reads, CancellationTokenSource stopReading)
    {
        try
        {
            await reads.WaitAsync(_options.StopGracePeriod).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await stopReading.CancelAsync().ConfigureAwait(false);
        }
    }

    private static async ValueTask SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            data = data[await socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false)..];
        }
    }

    private static void ShutDownQuietly(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The child is gone: its stdin has ended anyway.
        }
    }
}
