using Microsoft.Extensions.Logging;
using Sockit.Framing;
using Sockit.Connections;

namespace Sockit.Services;

/// <summary>
/// Relays each frame, byte-exact, to every other client. A sender is read only as fast as the slowest member
/// drains (see <see cref="Services.Fanout"/>); a member that stops draining is cut.
/// </summary>
public sealed class BrokerService(FrameSpec spec, FramingOptions? framing = null, FanoutOptions? fanout = null, ILogger? logger = null) : IConnectionHandler
{
    /// <summary>The members and their counters (slow consumers cut, bytes dropped).</summary>
    public Fanout Fanout { get; } = new(spec, fanout, logger);

    /// <inheritdoc />
    public ValueTask HandleAsync(Connection connection, CancellationToken stopping) =>
        Fanout.ServeMemberAsync(connection, spec.CreateDecoder(framing), frame => Fanout.PublishAsync(frame, except: connection, stopping), stopping);
}
