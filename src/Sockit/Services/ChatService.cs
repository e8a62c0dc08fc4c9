using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Microsoft.Extensions.Logging;
using Sockit.Diagnostics;
using Sockit.Framing;
using Sockit.Connections;

namespace Sockit.Services;

/// <summary>
/// A chat room over <c>line</c> framing: each line a client sends reaches every other client as
/// <c>[HOST:PORT] line</c>, line by line however the bytes were split, with control characters shown as
/// <c>\xHH</c> (see <see cref="ChatText"/>). A newcomer is greeted with its name, and joins and leaves are
/// announced to the others with the room's head count. A sender is read only as fast as the slowest local member
/// drains (see <see cref="Services.Fanout"/>); a member that stops draining is cut. The room may span nodes
/// (<see cref="IFanoutRoom"/>): then lines, notices and the count are the whole room's.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "The SemaphoreSlim's wait handle is never created, so it holds nothing to dispose")]
public sealed class ChatService : IConnectionHandler
{
    private readonly FramingOptions? _framing;

    // Makes "join (or leave) and announce" one step: the head count in a notice is then the set of clients the
    // notice goes to. Without it a client joining between another's Join and its Announce was told
    // "joined (1 online)" while it was online itself. Async, as announcing waits for room like any publishing.
    private readonly SemaphoreSlim _membership = new(1, 1);

    /// <summary>A chat room in this process alone.</summary>
    public ChatService(FramingOptions? framing = null, FanoutOptions? fanout = null, ILogger? logger = null)
        : this(new LocalRoom(new Fanout(FrameSpec.Line, fanout, logger)), framing)
    {
    }

    /// <summary>A chat in <paramref name="room"/>, whose <see cref="IFanoutRoom.Members"/> must encode with <c>line</c> framing.</summary>
    public ChatService(IFanoutRoom room, FramingOptions? framing = null)
    {
        Room = room ?? throw new ArgumentNullException(nameof(room));
        _framing = framing;
    }

    /// <summary>Where lines are published: this process, or every node of the room.</summary>
    public IFanoutRoom Room { get; }

    /// <summary>This node's members and their counters (slow consumers cut, bytes dropped).</summary>
    public Fanout Fanout => Room.Members;

    /// <inheritdoc />
    public async ValueTask HandleAsync(Connection connection, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var name = connection.ToString(); // 127.0.0.1:40880, or a unix peer by its pid
        var prefix = Encoding.UTF8.GetBytes($"[{name}] ");
        var reader = new FrameReader(connection.Input, FrameSpec.Line.CreateDecoder(_framing));
        var received = new ArrayBufferWriter<byte>(256);
        var line = new ArrayBufferWriter<byte>(256);
        await _membership.WaitAsync(stopping).ConfigureAwait(false);
        try
        {
            // The welcome is queued as the member joins: a line published meanwhile (a neighbour's, or one arriving
            // late from another node) can then only come after it. The count includes the newcomer.
            Fanout.Join(connection, Encoding.UTF8.GetBytes($"* welcome {name} ({Room.Count + 1} online)"));
            await AnnounceAsync($"* {name} joined ({Room.Count} online)", connection, stopping).ConfigureAwait(false);
        }
        finally
        {
            _membership.Release();
        }

        try
        {
            while (await reader.ReadFrameAsync(stopping).ConfigureAwait(false))
            {
                connection.Metrics.FramesReceived.Add(1);
                var text = Contiguous(reader.Current, received);

                // Line framing drops one '\r' before '\n', so a client sending "\r\r\n" leaves a line ending in '\r'.
                // In a chat a trailing '\r' is noise; it is trimmed, not shown as \x0d.
                line.ResetWrittenCount();
                line.Write(prefix);
                ChatText.EscapeControls(text.TrimEnd((byte)'\r'), line);
                await Room.PublishAsync(new ReadOnlySequence<byte>(line.WrittenMemory), connection, stopping).ConfigureAwait(false);
            }
        }
        finally
        {
            await Fanout.LeaveAsync(connection).ConfigureAwait(false);

            // Not cancellable: the others must hear who left. Bounded all the same: a member that stops draining
            // is cut after the slow consumer timeout, which releases the wait.
            await _membership.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                await AnnounceAsync($"* {name} left ({Room.Count} online)", null, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                _membership.Release();
            }
        }
    }

    private static ReadOnlySpan<byte> Contiguous(in ReadOnlySequence<byte> payload, ArrayBufferWriter<byte> scratch)
    {
        if (payload.IsSingleSegment)
        {
            return payload.FirstSpan;
        }

        scratch.ResetWrittenCount();
        foreach (var segment in payload)
        {
            scratch.Write(segment.Span);
        }

        return scratch.WrittenSpan;
    }

    private ValueTask AnnounceAsync(string notice, Connection? except, CancellationToken cancellationToken) =>
        Room.PublishAsync(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(notice)), except, cancellationToken);
}
