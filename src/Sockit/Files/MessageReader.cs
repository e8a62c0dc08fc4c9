using System.Buffers;
using System.IO.Pipelines;
using Sockit.Framing;

namespace Sockit.Files;

/// <summary>
/// Reads the protocol from a connection's input: the greeting, <c>varint</c>-framed messages (at most
/// <see cref="FileTransferProtocol.MaxMessageSize"/>, checked on the length) and runs of raw content. Before every
/// read that would wait, <see cref="BeforeWait"/> runs (the owner flushes its answers then, so answers to a burst of
/// entries go out in one send). Not thread-safe.
/// </summary>
internal sealed class MessageReader(PipeReader reader, string peerRole)
{
    /// <summary>Content left of a file above which processing moves off the thread that delivered the bytes.</summary>
    private const long HandOffAbove = 1 << 20;

    private readonly FrameDecoder _decoder = FrameSpec.Varint.CreateDecoder(new FramingOptions { MaxFrameSize = FileTransferProtocol.MaxMessageSize });

    // True after AdvanceTo marked everything examined: the next read must wait for new bytes (TryRead would hand the
    // same incomplete bytes back at once, forever).
    private bool _needMore;

    // True when the last read had to wait: it was then resumed by whoever wrote into the pipe, on that thread.
    private bool _resumedByWriter;

    /// <summary>Runs before a read that would wait for the network.</summary>
    public Func<ValueTask>? BeforeWait { get; set; }

    /// <summary>
    /// Reads the peer's greeting within <paramref name="timeout"/> and checks it is the other role's, this version.
    /// </summary>
    /// <exception cref="FileTransferException">Silence, the wrong greeting, or the end of the stream: the line says which.</exception>
    public async ValueTask ExpectGreetingAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var silence = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        silence.CancelAfter(timeout);
        byte[] greeting;
        try
        {
            greeting = await ReadGreetingAsync(silence.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FileTransferException($"the peer said nothing for {timeout.TotalSeconds:0.#} s after connecting: not a sockit {peerRole}");
        }

        var peerIsReceiver = peerRole == "receiver";
        var theirs = peerIsReceiver ? FileTransferProtocol.ReceiverMagic : FileTransferProtocol.SenderMagic;
        var ours = peerIsReceiver ? FileTransferProtocol.SenderMagic : FileTransferProtocol.ReceiverMagic;
        if (TransferMessages.CheckGreeting(greeting, theirs, ours, peerRole) is { } wrong)
        {
            throw new FileTransferException(wrong);
        }
    }

    private async ValueTask<byte[]> ReadGreetingAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length >= FileTransferProtocol.GreetingLength)
            {
                var greeting = buffer.Slice(0, FileTransferProtocol.GreetingLength).ToArray();
                reader.AdvanceTo(buffer.GetPosition(FileTransferProtocol.GreetingLength));
                return greeting;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            _needMore = true;
            if (result.IsCompleted)
            {
                throw new FileTransferException(buffer.Length == 0
                    ? $"the peer closed the connection without a word: not a sockit {peerRole}?"
                    : $"the peer closed the connection after {buffer.Length} byte(s): not a sockit {peerRole}");
            }
        }
    }

    /// <summary>The next message's payload (a copy), or null when the stream ended cleanly between messages.</summary>
    public async ValueTask<byte[]?> ReadMessageAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var status = _decoder.Decode(ref buffer, out var frame);
            if (status == FrameStatus.Frame)
            {
                var payload = frame.ToArray();
                reader.AdvanceTo(buffer.Start);
                if (payload.Length == 0)
                {
                    throw new FileTransferException($"the {peerRole} sent an empty message");
                }

                return payload;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            _needMore = true;
            if (status == FrameStatus.Invalid)
            {
                throw new FileTransferException($"the {peerRole} sent a bad message: {_decoder.Error}");
            }

            if (result.IsCompleted)
            {
                return buffer.IsEmpty ? null : throw new FileTransferException($"the {peerRole} closed the connection in the middle of a message");
            }
        }
    }

    /// <summary>
    /// Takes exactly <paramref name="count"/> content bytes and hands them to <paramref name="sink"/> in pieces, as
    /// they arrive (each piece is valid only during the call).
    /// </summary>
    /// <exception cref="FileTransferException">The stream ended first.</exception>
    public async ValueTask ReadContentAsync(long count, Action<ReadOnlySequence<byte>> sink, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            var result = await ReadAsync(cancellationToken).ConfigureAwait(false);
            if (_resumedByWriter && count >= HandOffAbove)
            {
                // This continuation runs inside the connection's receive loop (its pipe runs readers inline): hashing
                // and writing here would keep it from receiving the next bytes meanwhile. A large file's content is
                // processed on a pool thread instead, while the receive loop goes on filling the pipe.
                await Task.Yield();
            }

            var buffer = result.Buffer;
            var piece = buffer.Length > count ? buffer.Slice(0, count) : buffer;
            try
            {
                if (!piece.IsEmpty)
                {
                    sink(piece);
                    count -= piece.Length;
                }
            }
            finally
            {
                reader.AdvanceTo(piece.End);
            }

            if (count > 0 && result.IsCompleted)
            {
                throw new FileTransferException($"the {peerRole} closed the connection {count} byte(s) before the end of a file");
            }
        }
    }

    private async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken)
    {
        ReadResult result;
        _resumedByWriter = false;
        if (!_needMore && reader.TryRead(out result))
        {
            return result;
        }

        _needMore = false;
        if (BeforeWait is { } beforeWait)
        {
            await beforeWait().ConfigureAwait(false);
        }

        var reading = reader.ReadAsync(cancellationToken);
        _resumedByWriter = !reading.IsCompleted;
        result = await reading.ConfigureAwait(false);
        return result.IsCanceled ? throw new OperationCanceledException("the read was cancelled", cancellationToken) : result;
    }
}
