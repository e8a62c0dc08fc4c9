using Sockit.Diagnostics;
using Sockit.Framing;
using Sockit.Tcp;

namespace Sockit.Services;

/// <summary>
/// <c>sockit connect</c>: input (stdin) to the server, one frame per line (raw: bytes as read); the server's
/// frames to a <see cref="FramePrinter"/> (stdout). At the end of the input it half-closes (sends FIN) and keeps
/// reading until the server closes, or until the wait after EOF runs out. This is where nc and ncat tend to
/// quit too early and lose the server's last words.
/// </summary>
public sealed class ConnectionBridge(TcpConnection connection, FrameSpec spec, FramingOptions? framing = null)
{
    /// <summary>Runs until the server closes, or <paramref name="waitAfterEof"/> after the input ends.</summary>
    /// <returns>True when the server closed the stream; false when the wait ran out first.</returns>
    /// <exception cref="FrameException">The server broke the framing rules.</exception>
    /// <exception cref="TcpException">The connection was reset.</exception>
    public async Task<bool> RunAsync(Stream input, FramePrinter output, TimeSpan waitAfterEof, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var receiving = ReceiveAsync(output, stop.Token);
        var sending = SendAsync(input, stop.Token);

        var first = await Task.WhenAny(receiving, sending).ConfigureAwait(false);
        if (first == receiving)
        {
            await stop.CancelAsync().ConfigureAwait(false); // The server closed: stop reading stdin.
            await receiving.ConfigureAwait(false);
            return true;
        }

        await sending.ConfigureAwait(false);
        var done = await Task.WhenAny(receiving, Task.Delay(waitAfterEof, cancellationToken)).ConfigureAwait(false);
        if (done == receiving)
        {
            await receiving.ConfigureAwait(false);
            return true;
        }

        return false;
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

    private async Task SendAsync(Stream input, CancellationToken cancellationToken)
    {
        var writer = new FrameWriter(connection.Output, spec.CreateEncoder());
        try
        {
            await InputFrames.ReadAllAsync(input, spec, async frame =>
            {
                writer.Write(frame);
                SockitMetrics.FramesSent.Add(1);
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        // End of input: send FIN, keep reading.
        await writer.CompleteAsync().ConfigureAwait(false);
    }
}
