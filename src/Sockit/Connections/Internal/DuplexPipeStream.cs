using System.Buffers;
using System.IO.Pipelines;

namespace Sockit.Connections.Internal;

/// <summary>
/// A connection's pipes as a <see cref="Stream"/>, for <c>SslStream</c> to run over (Kestrel's
/// <c>DuplexPipeStream</c> plays this part). A zero-byte read waits until bytes are available without taking any,
/// so SslStream can wait for a record without holding a buffer. A write is flushed at once (SslStream writes its
/// handshake and alerts and expects them sent) unless <see cref="DeferFlush"/> is set, when the records of a batch
/// collect in the pipe and go out with one <see cref="FlushAsync(CancellationToken)"/>: one send for many records.
/// Completing or disposing the stream completes neither pipe: the connection that owns them decides when its
/// transport ends.
/// </summary>
internal sealed class DuplexPipeStream(PipeReader input, PipeWriter output) : Stream
{
    private volatile bool _completed;

    // A PipeWriter takes one writer at a time, but SslStream may write from its read side too (an alert, a reply to a
    // post-handshake message) while the write loop is writing records: writes and flushes take turns here.
    private readonly SemaphoreSlim _writing = new(1, 1);

    /// <summary>While true, writes only fill the pipe; the owner flushes once the batch is written.</summary>
    public bool DeferFlush { get; set; }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (result.IsCanceled)
            {
                input.AdvanceTo(buffer.Start);
                throw new OperationCanceledException("the read was cancelled: the connection is closing");
            }

            if (buffer.IsEmpty)
            {
                input.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    return 0; // The transport's end of stream (FIN).
                }

                continue;
            }

            if (destination.IsEmpty)
            {
                input.AdvanceTo(buffer.Start); // Zero-byte read: bytes are waiting; take none.
                return 0;
            }

            var count = (int)Math.Min(buffer.Length, destination.Length);
            var taken = buffer.Slice(0, count);
            taken.CopyTo(destination.Span);
            input.AdvanceTo(taken.End);
            return count;
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (DeferFlush)
            {
                output.Write(source.Span);
            }
            else
            {
                ThrowIfClosed(await output.WriteAsync(source, cancellationToken).ConfigureAwait(false));
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => FlushOutputAsync(cancellationToken).AsTask();

    private async ValueTask FlushOutputAsync(CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_completed)
            {
                return; // SslStream flushes when it is disposed, after the owner completed the output: nothing is left.
            }

            ThrowIfClosed(await output.FlushAsync(cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>Completes the output (the transport's FIN follows); later flushes are no-ops.</summary>
    public async ValueTask CompleteOutputAsync()
    {
        await _writing.WaitAsync().ConfigureAwait(false);
        try
        {
            _completed = true;
            await output.CompleteAsync().ConfigureAwait(false);
        }
        finally
        {
            _writing.Release();
        }
    }

    private static void ThrowIfClosed(FlushResult flush)
    {
        if (flush.IsCompleted || flush.IsCanceled)
        {
            throw new IOException("the connection is closed: nothing more can be sent");
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
        // Nothing to do synchronously: SslStream flushes through FlushAsync.
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("asynchronous reads only");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("asynchronous writes only");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
