using Microsoft.Extensions.Logging;
using Sockit.Framing;
using Sockit.Connections;

namespace Sockit.Services;

/// <summary>
/// Relays each frame, byte-exact, to every other client of the room. A sender is read only as fast as the slowest
/// local member drains (see <see cref="Services.Fanout"/>); a member that stops draining is cut. The room may
/// span nodes (<see cref="IFanoutRoom"/>).
/// </summary>
public sealed class BrokerService : IConnectionHandler
{
    private readonly FrameSpec _spec;
    private readonly FramingOptions? _framing;

    /// <summary>A broker in this process alone, relaying frames of <paramref name="spec"/>.</summary>
    public BrokerService(FrameSpec spec, FramingOptions? framing = null, FanoutOptions? fanout = null, ILogger? logger = null)
        : this(spec, new LocalRoom(new Fanout(spec, fanout, logger)), framing)
    {
    }

    /// <summary>A broker in <paramref name="room"/>, whose <see cref="IFanoutRoom.Members"/> must encode with <paramref name="spec"/>.</summary>
    public BrokerService(FrameSpec spec, IFanoutRoom room, FramingOptions? framing = null)
    {
        _spec = spec ?? throw new ArgumentNullException(nameof(spec));
        Room = room ?? throw new ArgumentNullException(nameof(room));
        _framing = framing;
    }

    /// <summary>Where frames are published: this process, or every node of the room.</summary>
    public IFanoutRoom Room { get; }

    /// <summary>This node's members and their counters (slow consumers cut, bytes dropped).</summary>
    public Fanout Fanout => Room.Members;

    /// <inheritdoc />
    public ValueTask HandleAsync(Connection connection, CancellationToken stopping) =>
        Fanout.ServeMemberAsync(connection, _spec.CreateDecoder(_framing), frame => Room.PublishAsync(frame, connection, stopping), stopping);
}
