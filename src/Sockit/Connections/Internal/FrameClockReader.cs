using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Sockit.Connections.Internal;

/// <summary>
/// The application's side of a connection's input: the pipe's reader, plus a clock for frames in progress. When
/// the application hands back bytes it examined but could not consume (half a frame), the clock starts; when it
/// consumes everything, the clock stops. <see cref="SocketServer"/> cuts a connection whose frame stays unfinished
/// past the frame timeout (slowloris). Raw framing consumes everything it reads, so it never starts the clock.
/// </summary>
internal sealed class FrameClockReader(PipeReader inner, TimeProvider clock) : PipeReader
{
    private const long Stopped = long.MaxValue;
    private long _partialSince = Stopped;
    private ReadOnlySequence<byte> _last;

    /// <summary>Milliseconds since a frame started and has not finished yet; 0 when none is in progress.</summary>
    public long PartialFrameMilliseconds(long now)
    {
        var since = Volatile.Read(ref _partialSince);
        return since == Stopped ? 0 : now - since;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        var leftOver = !_last.IsEmpty && !_last.Slice(consumed).IsEmpty;
        if (!leftOver)
        {
            Volatile.Write(ref _partialSince, Stopped);
        }
        else if (Volatile.Read(ref _partialSince) == Stopped)
        {
            Volatile.Write(ref _partialSince, clock.Milliseconds());
        }

        _last = default;
        inner.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null)
    {
        Volatile.Write(ref _partialSince, Stopped);
        inner.Complete(exception);
    }

    public override ValueTask CompleteAsync(Exception? exception = null)
    {
        Volatile.Write(ref _partialSince, Stopped);
        return inner.CompleteAsync(exception);
    }

    // Pooled: one read is outstanding at a time, so the state machine box is reused instead of allocated per read.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var result = await inner.ReadAsync(cancellationToken).ConfigureAwait(false);
        _last = result.Buffer;
        return result;
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result))
        {
            return false;
        }

        _last = result.Buffer;
        return true;
    }
}
