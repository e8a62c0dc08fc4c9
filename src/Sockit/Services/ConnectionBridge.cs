using System.Buffers;
using Sockit.Diagnostics;
using Sockit.Framing;
using Sockit.Connections;

namespace Sockit.Services;

/// <summary>
/// <c>sockit connect</c>: input (stdin) to the server, one frame per line (raw: bytes as read); the server's
/// frames to a <see cref="FramePrinter"/> (stdout). At the end of the input it half-closes (sends FIN) and keeps
/// reading until the server closes, or until the wait after EOF runs out. This is where nc and ncat tend to
/// quit too early and lose the server's last words.
/// </summary>
/// <remarks>
/// When the server closes first, the bridge stops reading the input at once (a person at a terminal must not have
/// to press Ctrl-D), but what it already queued is still sent, then FIN; a send that finds the server gone is a
/// failure, not a quiet end: the data did not arrive.
/// </remarks>
public sealed class ConnectionBridge
{
    // --crlf with line framing: each line ends \r\n instead of \n.
    private static readonly FrameSpec CrlfLines = FrameSpec.Delimited("\r\n"u8);

    private readonly Connection _connection;
    private readonly FrameSpec _spec;
    private readonly FramingOptions? _framing;
    private readonly ConnectionBridgeOptions _options;

    /// <summary>Bridges <paramref name="connection"/> with <paramref name="spec"/> framing both ways.</summary>
    /// <param name="connection">The connection; the caller keeps it and closes it after <see cref="RunAsync"/>.</param>
    /// <param name="spec">How input is sent (raw chunks, or one frame per line) and replies are cut.</param>
    /// <param name="framing">The reply frame limit and bad-frame policy.</param>
    /// <param name="options">CRLF line ends and the idle timeout; <see cref="ConnectionBridgeOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException"><see cref="ConnectionBridgeOptions.SendCrlf"/> with a framing other than raw or line.</exception>
    public ConnectionBridge(Connection connection, FrameSpec spec, FramingOptions? framing = null, ConnectionBridgeOptions? options = null)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
        _spec = spec ?? throw new ArgumentNullException(nameof(spec));
        _framing = framing;
        _options = options ?? ConnectionBridgeOptions.Default;
        if (_options.SendCrlf && spec.Kind is not (FrameKind.Raw or FrameKind.Line))
        {
            throw new ArgumentException($"CRLF line ends apply to raw or line framing, not to '{spec}' (its frames have no line ends)", nameof(options));
        }
    }

    /// <summary>
    /// Runs until the server closes, or <paramref name="waitAfterEof"/> after the input ends, or no byte went either way
    /// for <see cref="ConnectionBridgeOptions.IdleTimeout"/>.
    /// </summary>
    /// <returns>
    /// True when the server closed the stream; false when the wait ran out first, or the connection was idle for the
    /// idle timeout (its close reason then says so).
    /// </returns>
    /// <exception cref="FrameException">The server broke the framing rules.</exception>
    /// <exception cref="ConnectionException">The connection was reset, or what was sent did not reach the server.</exception>
    public async Task<bool> RunAsync(Stream input, FramePrinter output, TimeSpan waitAfterEof, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var connection = _connection;
        var writer = new FrameWriter(connection.Output, (_options.SendCrlf && _spec.Kind == FrameKind.Line ? CrlfLines : _spec).CreateEncoder());

        // The input is read by a task that may outlive this call (a console read cannot be cancelled); this gate keeps
        // it from writing a frame once the output is completed below (taken then, never given back). Not disposed.
        var writing = new SemaphoreSlim(1, 1);
        using var stopInput = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var receiving = ReceiveAsync(output, cancellationToken);
            var sending = SendAsync(input, writer, writing, stopInput.Token);
            var idle = WaitUntilIdleAsync(stopWatching.Token);

            var first = await Task.WhenAny(receiving, sending, idle).ConfigureAwait(false);
            if (first == idle)
            {
                return await StopIdleAsync(idle).ConfigureAwait(false);
            }

            if (first == sending)
            {
                await sending.ConfigureAwait(false); // The input ended and FIN is queued, or sending failed.
                var waited = await Task.WhenAny(receiving, Task.Delay(waitAfterEof, cancellationToken), idle).ConfigureAwait(false);
                if (waited == idle)
                {
                    return await StopIdleAsync(idle).ConfigureAwait(false);
                }

                if (waited != receiving)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    return false;
                }
            }

            await receiving.ConfigureAwait(false);

            // The server closed. Stop reading the input, send what is queued and FIN, and find out whether it arrived.
            await stopInput.CancelAsync().ConfigureAwait(false);
            await writing.WaitAsync(cancellationToken).ConfigureAwait(false);
            await writer.CompleteAsync().ConfigureAwait(false);
            await connection.CloseAsync(waitAfterEof == Timeout.InfiniteTimeSpan ? null : waitAfterEof).ConfigureAwait(false);
            // A connection that failed (a reset, a TLS error) may still have ended its input quietly: say so.
            switch (connection.CloseReason)
            {
                case { Exception: ConnectionException failure }:
                    throw failure;
                case { Kind: CloseReasonKind.Error or CloseReasonKind.Reset } failed:
                    throw new IOException(failed.Message, failed.Exception);
            }

            return true;
        }
        finally
        {
            await stopInput.CancelAsync().ConfigureAwait(false); // Whatever ended the run, stop reading the input.
            await stopWatching.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Completes when no byte has gone either way for the idle timeout; never without one (until cancelled).</summary>
    private async Task WaitUntilIdleAsync(CancellationToken cancellationToken)
    {
        var timeout = _options.IdleTimeout;
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        }

        var limit = (long)timeout.TotalMilliseconds;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Clamp(limit / 4, 10, 250)));
        while (_connection.IdleMilliseconds(Environment.TickCount64) < limit)
        {
            await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The idle watch ended: idle (record why, and stop), or cancelled (Ctrl-C: rethrow).</summary>
    private async Task<bool> StopIdleAsync(Task idle)
    {
        await idle.ConfigureAwait(false);
        _connection.TrySetCloseReason(CloseReasonKind.IdleTimeout,
            $"idle for {_options.IdleTimeout.TotalSeconds:0.###} s, no bytes either way (idle timeout)");
        return false;
    }

    private async Task ReceiveAsync(FramePrinter output, CancellationToken cancellationToken)
    {
        var connection = _connection;
        var reader = new FrameReader(connection.Input, _spec.CreateDecoder(_framing));
        while (await reader.ReadFrameAsync(cancellationToken).ConfigureAwait(false))
        {
            connection.Metrics.FramesReceived.Add(1);
            await output.PrintAsync(reader.Current, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SendAsync(Stream input, FrameWriter writer, SemaphoreSlim writing, CancellationToken cancellationToken)
    {
        var crlf = _options.SendCrlf && _spec.Kind == FrameKind.Raw ? new CrlfTranslator() : null;
        var translated = crlf is null ? null : new ArrayBufferWriter<byte>();
        try
        {
            await InputFrames.ReadAllAsync(input, _spec, async frame =>
            {
                await writing.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    if (crlf is null)
                    {
                        writer.Write(frame);
                    }
                    else
                    {
                        translated!.ResetWrittenCount();
                        crlf.Translate(frame, translated);
                        writer.Write(translated.WrittenSpan);
                    }

                    _connection.Metrics.FramesSent.Add(1);
                    await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    writing.Release();
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return; // The server closed first (RunAsync sends FIN), or the command was cancelled.
        }

        // End of input: send FIN, keep reading.
        await writer.CompleteAsync().ConfigureAwait(false);
    }
}
