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
/// announced to the others. A sender is read only as fast as the slowest member drains (see
/// <see cref="Services.Fanout"/>); a member that stops draining is cut.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "The SemaphoreSlim's wait handle is never created, so it holds nothing to dispose")]
public sealed class ChatService(FramingOptions? framing = null, FanoutOptions? fanout = null, ILogger? logger = null) : IConnectionHandler
{
    // Makes "join (or leave) and announce" one step: the head count in a notice is then the set of clients the
    // notice goes to. Without it a client joining between another's Join and its Announce was told
    // "joined (1 online)" while it was online itself. Async, as announcing waits for room like any publishing.
    private readonly SemaphoreSlim _membership = new(1, 1);

    /// <summary>The members and their counters (slow consumers cut, bytes dropped).</summary>
    public Fanout Fanout { get; } = new(FrameSpec.Line, fanout, logger);

    /// <inheritdoc />
    public async ValueTask HandleAsync(Connection connection, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var name = connection.ToString(); // 127.0.0.1:40880, or a unix peer by its pid
        var prefix = Encoding.UTF8.GetBytes($"[{name}] ");
        var reader = new FrameReader(connection.Input, FrameSpec.Line.CreateDecoder(framing));
        var received = new ArrayBufferWriter<byte>(256);
        var line = new ArrayBufferWriter<byte>(256);
        await _membership.WaitAsync(stopping).ConfigureAwait(false);
        try
        {
            Fanout.Join(connection);
            await Fanout.SendToAsync(connection, Encoding.UTF8.GetBytes($"* welcome {name} ({Fanout.Count} online)"), stopping).ConfigureAwait(false);
            await AnnounceAsync($"* {name} joined ({Fanout.Count} online)", connection, stopping).ConfigureAwait(false);
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
                await Fanout.PublishAsync(line.WrittenMemory, except: connection, stopping).ConfigureAwait(false);
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
                await AnnounceAsync($"* {name} left ({Fanout.Count} online)", null, CancellationToken.None).ConfigureAwait(false);
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
        Fanout.PublishAsync(Encoding.UTF8.GetBytes(notice), except, cancellationToken);
}
