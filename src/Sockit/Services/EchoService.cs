using Sockit.Diagnostics;
using Sockit.Framing;
using Sockit.Tcp;

namespace Sockit.Services;

/// <summary>
/// Returns each frame to its sender (in <c>raw</c>, bytes as they come). Frames that arrived together are
/// answered together with one flush, so a pipelining client costs one send per read, not one per frame.
/// </summary>
public sealed class EchoService(FrameSpec spec, FramingOptions? framing = null) : ITcpConnectionHandler
{
    private readonly FrameEncoder _encoder = spec.CreateEncoder();

    /// <inheritdoc />
    public async ValueTask HandleAsync(TcpConnection connection, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var reader = new FrameReader(connection.Input, spec.CreateDecoder(framing));
        var writer = new FrameWriter(connection.Output, _encoder);
        try
        {
            while (await reader.ReadFrameAsync(stopping).ConfigureAwait(false))
            {
                var frames = 0;
                do
                {
                    writer.Write(reader.Current);
                    frames++;
                }
                while (reader.TryReadFrame());

                SockitMetrics.FramesReceived.Add(frames);
                SockitMetrics.FramesSent.Add(frames);
                if (!await writer.FlushAsync(CancellationToken.None).ConfigureAwait(false))
                {
                    return; // The peer is gone.
                }
            }
        }
        finally
        {
            SockitMetrics.BadFrames.Add(reader.Decoder.SkippedFrames);
        }
    }
}
