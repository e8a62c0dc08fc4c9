using System.Buffers;
using System.IO.Pipelines;

namespace Sockit.Connections.Internal;

/// <summary>
/// A connection's pipes as a <see cref="Stream"/>, for <c>SslStream</c> to run over (Kestrel's
/// <c>DuplexPipeStream</c> plays this part). A zero-byte read waits until bytes are available without taking any,
/// so SslStream can wait for a record without holding a buffer. Completing or disposing the stream completes
/// neither pipe: the connection that owns them decides when its transport ends.
/// </summary>
internal sealed class DuplexPipeStream(PipeReader input, PipeWriter output) : Stream
{
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
        var flush = await output.WriteAsync(source, cancellationToken).ConfigureAwait(false);
        if (flush.IsCompleted || flush.IsCanceled)
        {
            throw new IOException("the connection is closed: nothing more can be sent");
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask; // Every write is flushed.

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("asynchronous reads only");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("asynchronous writes only");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
