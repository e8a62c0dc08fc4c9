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
public sealed class ConnectionBridge(Connection connection, FrameSpec spec, FramingOptions? framing = null)
{
    /// <summary>Runs until the server closes, or <paramref name="waitAfterEof"/> after the input ends.</summary>
    /// <returns>True when the server closed the stream; false when the wait ran out first.</returns>
    /// <exception cref="FrameException">The server broke the framing rules.</exception>
    /// <exception cref="ConnectionException">The connection was reset, or what was sent did not reach the server.</exception>
    public async Task<bool> RunAsync(Stream input, FramePrinter output, TimeSpan waitAfterEof, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = new FrameWriter(connection.Output, spec.CreateEncoder());

        // The input is read by a task that may outlive this call (a console read cannot be cancelled); this gate keeps
        // it from writing a frame once the output is completed below (taken then, never given back). Not disposed.
        var writing = new SemaphoreSlim(1, 1);
        using var stopInput = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var receiving = ReceiveAsync(output, cancellationToken);
            var sending = SendAsync(input, writer, writing, stopInput.Token);

            if (await Task.WhenAny(receiving, sending).ConfigureAwait(false) == sending)
            {
                await sending.ConfigureAwait(false); // The input ended and FIN is queued, or sending failed.
                if (await Task.WhenAny(receiving, Task.Delay(waitAfterEof, cancellationToken)).ConfigureAwait(false) != receiving)
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
        }
    }

    private async Task ReceiveAsync(FramePrinter output, CancellationToken cancellationToken)
    {
        var reader = new FrameReader(connection.Input, spec.CreateDecoder(framing));
        while (await reader.ReadFrameAsync(cancellationToken).ConfigureAwait(false))
        {
            SockitMetrics.FramesReceived.Add(1);
            await output.PrintAsync(reader.Current, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SendAsync(Stream input, FrameWriter writer, SemaphoreSlim writing, CancellationToken cancellationToken)
    {
        try
        {
            await InputFrames.ReadAllAsync(input, spec, async frame =>
            {
                await writing.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    writer.Write(frame);
                    SockitMetrics.FramesSent.Add(1);
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
