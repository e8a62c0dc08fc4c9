using System.Buffers;
using Microsoft.Extensions.Logging;
using Sockit.Framing;
using Sockit.Connections;

namespace Sockit.Services;

/// <summary>
/// <c>listen --mode stdio</c>: every client's frames go to one <see cref="FramePrinter"/> (stdout), and the input
/// (stdin) goes to every connected client without loss: it is read only as fast as the clients take it, and what
/// is read while no client is connected is kept (up to <see cref="FanoutOptions.MaxQueuedBytes"/>, then reading
/// waits) for the next one. A client stays until its input has ended and its output too (see <see cref="RelayInputAsync"/>).
/// </summary>
public sealed class RelayService(FrameSpec spec, FramingOptions? framing, FramePrinter printer, FanoutOptions? fanout = null, ILogger? logger = null) : IConnectionHandler
{
    /// <summary>The clients and their counters (slow consumers cut, bytes dropped).</summary>
    public Fanout Fanout { get; } = new(spec, (fanout ?? FanoutOptions.Default) with { KeepWhileEmpty = true }, logger);

    /// <inheritdoc />
    public ValueTask HandleAsync(Connection connection, CancellationToken stopping) =>
        Fanout.ServeMemberAsync(connection, spec.CreateDecoder(framing), frame => printer.PrintAsync(frame, stopping), stopping, stayUntilOutputEnds: true);

    /// <summary>Sends <paramref name="payload"/> as one frame to every client (or keeps it for the next); waits while a client is full.</summary>
    /// <exception cref="ArgumentException">The framing cannot carry this payload; nothing was sent.</exception>
    public ValueTask BroadcastAsync(in ReadOnlySequence<byte> payload, CancellationToken cancellationToken = default) =>
        Fanout.PublishAsync(payload, null, cancellationToken);

    /// <summary>
    /// Reads <paramref name="input"/> to its end and broadcasts it (raw: chunks as read; other framings: one frame
    /// per line), waiting whenever a client is behind, so nothing is dropped. A message the framing cannot carry
    /// goes to <paramref name="onRefused"/> and the next one is sent. With <paramref name="finishAtEnd"/>, the
    /// input's end completes every client's output after its queued data (FIN), for clients that join later too;
    /// otherwise the clients are served on. Cancelling stops reading.
    /// </summary>
    public async Task RelayInputAsync(Stream input, bool finishAtEnd, Action<ArgumentException>? onRefused = null, CancellationToken cancellationToken = default)
    {
        await InputFrames.ReadAllAsync(input, spec, async frame =>
        {
            try
            {
                await BroadcastAsync(frame, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException ex) when (onRefused is not null)
            {
                onRefused(ex);
            }
        }, cancellationToken).ConfigureAwait(false);

        if (finishAtEnd)
        {
            Fanout.Complete();
        }
    }
}
