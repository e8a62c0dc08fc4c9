using System.IO.Pipelines;

namespace Sockit.Connections.Internal;

/// <summary>
/// The application's side of a connection's input: the pipe's reader, plus a clock for frames in progress. When
/// the application hands back bytes it examined but could not consume (half a frame: <c>AdvanceTo(consumed,
/// examined)</c> with <c>consumed</c> before <c>examined</c>), the clock starts; when it consumes all it examined, the
/// clock stops. <see cref="SocketServer"/> cuts a connection whose frame stays unfinished past the frame timeout
/// (slowloris). Raw framing consumes everything it reads, so it never starts the clock.
/// </summary>
/// <remarks>
/// Reads pass straight through: no state of a read is kept here, so an idle connection parks no extra state machine.
/// The rule needs no copy of the buffer read: a reader that waits for more of a frame must pass the buffer's end as
/// <c>examined</c> (else the pipe returns at once), and positions that name the same byte compare equal when both come
/// from the buffer read (its <c>Slice</c>, <c>GetPosition</c> and <c>End</c>).
/// </remarks>
internal sealed class FrameClockReader(PipeReader inner, TimeProvider clock) : PipeReader
{
    private const long Stopped = long.MaxValue;
    private long _partialSince = Stopped;

    /// <summary>Milliseconds since a frame started and has not finished yet; 0 when none is in progress.</summary>
    public long PartialFrameMilliseconds(long now)
    {
        var since = Volatile.Read(ref _partialSince);
        return since == Stopped ? 0 : now - since;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        if (consumed.Equals(examined))
        {
            Volatile.Write(ref _partialSince, Stopped);
        }
        else if (Volatile.Read(ref _partialSince) == Stopped)
        {
            Volatile.Write(ref _partialSince, clock.Milliseconds());
        }

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

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) => inner.ReadAsync(cancellationToken);

    public override bool TryRead(out ReadResult result) => inner.TryRead(out result);
}
