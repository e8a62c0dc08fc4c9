using Sockit.Diagnostics;
using Sockit.Framing;
using Sockit.Connections;

namespace Sockit.Services;

/// <summary>Discards everything, counting bytes and frames; reports each client when it leaves.</summary>
public sealed class SinkService(FrameSpec spec, FramingOptions? framing, Action<SinkReport> onClosed) : IConnectionHandler
{
    /// <inheritdoc />
    public async ValueTask HandleAsync(Connection connection, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var reader = new FrameReader(connection.Input, spec.CreateDecoder(framing));
        var frames = 0L;
        try
        {
            while (await reader.ReadFrameAsync(stopping).ConfigureAwait(false))
            {
                frames++;
            }
        }
        finally
        {
            connection.Metrics.FramesReceived.Add(frames);
            onClosed(new SinkReport(connection.ToString(), connection.BytesReceived, frames, DateTimeOffset.UtcNow - connection.ConnectedAt));
        }
    }
}
