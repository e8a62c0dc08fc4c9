using Sockit.Diagnostics;
using Sockit.Framing;
using Sockit.Tcp;

namespace Sockit.Services;

/// <summary>
/// <c>listen --mode stdio</c>: every client's frames go to one <see cref="FramePrinter"/> (stdout), and
/// <see cref="Broadcast"/> sends a message (a stdin line) to every connected client.
/// </summary>
public sealed class RelayService(FrameSpec spec, FramingOptions? framing, FramePrinter printer) : ITcpConnectionHandler
{
    private readonly Fanout _fanout = new(spec);

    /// <summary>Clients connected now.</summary>
    public int ClientCount => _fanout.Count;

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
                await printer.PrintAsync(reader.Current, stopping).ConfigureAwait(false);
            }
        }
        finally
        {
            await _fanout.LeaveAsync(connection).ConfigureAwait(false);
        }
    }

    /// <summary>Sends <paramref name="payload"/> as one frame to every connected client.</summary>
    public void Broadcast(in System.Buffers.ReadOnlySequence<byte> payload) => _fanout.Send(payload);
}
