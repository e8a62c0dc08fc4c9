using Sockit.Framing;
using Sockit.Tcp;

namespace Sockit.Services;

/// <summary>Relays each frame, byte-exact, to every other client.</summary>
public sealed class BrokerService(FrameSpec spec, FramingOptions? framing = null) : ITcpConnectionHandler
{
    private readonly Fanout _fanout = new(spec);

    /// <inheritdoc />
    public ValueTask HandleAsync(TcpConnection connection, CancellationToken stopping) =>
        _fanout.ServeMemberAsync(connection, spec.CreateDecoder(framing), frame =>
        {
            _fanout.Send(frame, except: connection);
            return ValueTask.CompletedTask;
        }, stopping);
}
