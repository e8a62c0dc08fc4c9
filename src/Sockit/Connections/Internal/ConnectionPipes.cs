using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Sockit.Diagnostics;

namespace Sockit.Connections.Internal;

/// <summary>
/// The application's side of a connection, whatever fills and drains it (a socket, or SslStream over another
/// connection): the input and output pipes over one counting pool, the frame clock on the input, the byte counts,
/// and the two halves of the loops every transport runs: hand received bytes to the application (backpressure and
/// the frame clock's pause rule included), and drain what the application queued, in pieces.
/// </summary>
internal sealed class ConnectionPipes
{
    // The most one send is given: 256 KiB is a few system calls per MiB for bulk transfers, and a slow reader's
    // progress still shows within a second or so.
    private const int PieceBytes = 256 << 10;

    private readonly ConnectionOptions _options;
    private volatile bool _receivePaused;
    private volatile bool _sending;
    private long _receiveResumedAt;
    private long _bytesReceived;
    private long _bytesSent;
    private long _bytesDropped;

    public ConnectionPipes(ConnectionOptions options)
    {
        _options = options;
        Pool = new CountingMemoryPool(options.MemoryBudget, options.MinimumReceiveSize);
        Input = new Pipe(options.InputPipeOptions(Pool));
        Output = new Pipe(options.OutputPipeOptions(Pool));
        Reader = new FrameClockReader(Input.Reader, options.Clock);
    }

    /// <summary>Where both pipes rent their segments, counting them (and charging the memory budget).</summary>
    public CountingMemoryPool Pool { get; }

    /// <summary>Received bytes: the transport writes, the application reads through <see cref="Reader"/>.</summary>
    public Pipe Input { get; }

    /// <summary>Bytes to send: the application writes, <see cref="DrainOutputAsync"/> reads.</summary>
    public Pipe Output { get; }

    /// <summary>The application's reader of <see cref="Input"/>, with the frame clock.</summary>
    public FrameClockReader Reader { get; }

    public long BytesReceived => Volatile.Read(ref _bytesReceived);

    public long BytesSent => Volatile.Read(ref _bytesSent);

    public long BytesDropped => Volatile.Read(ref _bytesDropped);

    /// <summary>True while a batch of the output is being handed to the transport.</summary>
    public bool IsSending => _sending;

    /// <summary>
    /// Milliseconds the application has been holding an unfinished frame while waiting on the peer (0 when none).
    /// Time the receive side spent paused because the application had not caught up (backpressure) does not count:
    /// the clock restarts when reading resumes, so a peer held back by us is never taken for a slowloris. A pause
    /// for the memory budget does count, or slowlorises that fill the budget would shield themselves.
    /// </summary>
    public long PartialFrameMilliseconds(long now) =>
        _receivePaused ? 0 : Math.Min(Reader.PartialFrameMilliseconds(now), now - Volatile.Read(ref _receiveResumedAt));

    /// <summary>
    /// Hands <paramref name="received"/> (just written into memory from <see cref="Input"/>'s writer) to the
    /// application: shows it to the observer, commits it and flushes. The flush waits while the application has not
    /// caught up (backpressure); its result says whether the application stopped reading or the connection was aborted.
    /// </summary>
    public ValueTask<FlushResult> DeliverAsync(Connection connection, ReadOnlyMemory<byte> received)
    {
        _options.Observer?.OnTraffic(connection, TrafficDirection.In, _bytesReceived, new ReadOnlySequence<byte>(received));
        Input.Writer.Advance(received.Length);
        Volatile.Write(ref _bytesReceived, _bytesReceived + received.Length);
        var flushing = Input.Writer.FlushAsync();
        return flushing.IsCompleted ? flushing : WhilePausedAsync(flushing);
    }

    /// <summary>
    /// Sends everything the application queues, in pieces of at most 256 KiB (<see cref="Connection.SendPieceAsync"/>),
    /// until it completes <see cref="Output"/> (true: all sent) or the read is cancelled by an abort (false). Each
    /// piece is counted once it is sent; the transport's exceptions propagate. Whatever is left when it returns false
    /// or throws is counted by <see cref="CountDropped()"/>.
    /// </summary>
    /// <remarks>
    /// An idle connection keeps this method parked on its read, so its state is kept small: the work of a batch is in
    /// <see cref="SendBatchAsync"/>, which completes without allocating when the kernel takes the batch at once.
    /// </remarks>
    public async Task<bool> DrainOutputAsync(Connection connection)
    {
        var reader = Output.Reader;
        while (true)
        {
            var result = await reader.ReadAsync().ConfigureAwait(false);
            var completed = result.IsCompleted;
            if (result.IsCanceled)
            {
                reader.AdvanceTo(result.Buffer.Start);
                return false;
            }

            if (result.Buffer.IsEmpty)
            {
                reader.AdvanceTo(result.Buffer.End);
            }
            else
            {
                await SendBatchAsync(connection, result.Buffer).ConfigureAwait(false);
            }

            if (completed)
            {
                return true;
            }
        }
    }

    /// <summary>Sends one batch read from <see cref="Output"/> and advances the reader past what was sent.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendBatchAsync(Connection connection, ReadOnlySequence<byte> buffer)
    {
        _options.Observer?.OnTraffic(connection, TrafficDirection.Out, _bytesSent, buffer);
        var sentUpTo = buffer.Start;
        _sending = true;
        try
        {
            // In pieces, so progress is seen while a slow reader drains a large batch: the slow-consumer and
            // memory-budget rules cut only connections that stopped draining.
            var rest = buffer;
            while (!rest.IsEmpty)
            {
                var piece = rest.Length <= PieceBytes ? rest : rest.Slice(0, PieceBytes);
                await connection.SendPieceAsync(piece).ConfigureAwait(false);
                sentUpTo = piece.End;
                rest = rest.Slice(sentUpTo);
                Volatile.Write(ref _bytesSent, _bytesSent + piece.Length);
            }
        }
        finally
        {
            _sending = false;
            Output.Reader.AdvanceTo(sentUpTo);
        }
    }

    /// <summary>Counts what is left in the output, never to be sent.</summary>
    public void CountDropped()
    {
        if (Output.Reader.TryRead(out var rest))
        {
            CountDropped(rest.Buffer.Length);
            Output.Reader.AdvanceTo(rest.Buffer.End);
        }
    }

    /// <summary>Counts <paramref name="bytes"/> lost elsewhere (the kernel's send queue, discarded by a reset).</summary>
    public void CountDropped(long bytes) => Interlocked.Add(ref _bytesDropped, bytes);

    /// <summary>Wakes both loops wherever they wait: the send side on an empty output, the receive side on a full input.</summary>
    public void CancelPending()
    {
        Output.Reader.CancelPendingRead();
        Input.Writer.CancelPendingFlush();
    }

    private async ValueTask<FlushResult> WhilePausedAsync(ValueTask<FlushResult> flushing)
    {
        _receivePaused = true; // The application has not caught up: backpressure, not a slow peer.
        try
        {
            return await flushing.ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _receiveResumedAt, _options.Clock.Milliseconds());
            _receivePaused = false;
        }
    }
}
