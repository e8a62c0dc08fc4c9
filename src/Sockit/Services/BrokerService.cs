using Sockit.Diagnostics;
using Sockit.Framing;
using Sockit.Tcp;

namespace Sockit.Services;

/// <summary>Relays each frame, byte-exact, to every other client.</summary>
public sealed class BrokerService(FrameSpec spec, FramingOptions? framing = null) : ITcpConnectionHandler
{
    private readonly Fanout _fanout = new(spec);

    /// <inheritdoc />
    public async ValueTask HandleAsync(TcpConnection connection, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var reader = new FrameReader(connection.Input, spec.CreateDecoder(framing));
        _fanout.Join(connection);
        try
        {
            while (await reader.ReadFrameAsync(stopping).ConfigureAwait(false))
            {
                SockitMetrics.FramesReceived.Add(1);
                _fanout.Send(reader.Current, except: connection);
            }
        }
        finally
        {
            await _fanout.LeaveAsync(connection).ConfigureAwait(false);
        }
    }
}
