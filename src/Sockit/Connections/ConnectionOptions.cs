using System.Buffers;
using System.IO.Pipelines;
using Sockit.Diagnostics;

namespace Sockit.Connections;

/// <summary>Buffering and observation for one connection. Immutable; safe to share.</summary>
public sealed record ConnectionOptions
{
    /// <summary>The defaults: 1 MiB send queue, input bounded to one maximum frame plus 64 KiB.</summary>
    public static ConnectionOptions Default { get; } = new();

    /// <summary>
    /// Received bytes the application has not consumed yet, above which the receive loop stops reading from
    /// the socket (TCP flow control then slows the peer). Default 1 MiB + 64 KiB: it must exceed the largest
    /// frame the application waits for, or a large frame could never complete. Resumes at half.
    /// </summary>
    public long InputPauseThreshold { get; init; } = (1 << 20) + (64 << 10);

    /// <summary>
    /// Bytes written by the application and not yet sent, above which its flush waits (backpressure from a
    /// slow reader). Default 1 MiB. Resumes at half.
    /// </summary>
    public long OutputPauseThreshold { get; init; } = 1 << 20;

    /// <summary>The smallest buffer handed to a socket receive, in bytes (default 8 KiB).</summary>
    public int MinimumReceiveSize { get; init; } = 8 << 10;

    /// <summary>
    /// The largest buffer handed to a socket receive, in bytes (default 64 KiB). A connection starts at
    /// <see cref="MinimumReceiveSize"/>, doubles while its reads fill the buffer and halves while they use a
    /// quarter of it: bulk transfers take few system calls, idle connections hold little memory.
    /// </summary>
    public int MaximumReceiveSize { get; init; } = 64 << 10;

    /// <summary>
    /// After this side's FIN, how long the connection waits for the peer to take what was sent (TCP: acknowledge it;
    /// a Unix socket: read it) while no progress is made. Default 10 s. A peer that closes without taking it resets
    /// the connection, and that reset is then reported instead of the data being lost silently; a peer that stays
    /// silent past this ends the connection with an error saying so. <see cref="Timeout.InfiniteTimeSpan"/> waits
    /// as long as TCP itself retransmits.
    /// </summary>
    public TimeSpan AcknowledgementTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Sets TCP_NODELAY (default true: small frames go out at once instead of waiting for Nagle).</summary>
    public bool NoDelay { get; init; } = true;

    /// <summary>Sees every byte received and sent (for <c>--hex</c>); null for none.</summary>
    public ITrafficObserver? Observer { get; init; }

    /// <summary>
    /// The process-wide bound that this connection's buffers are charged to (shared by every connection given the
    /// same instance); null for none. <see cref="SocketServer"/> makes its own from
    /// <see cref="SocketServerOptions.MaxBufferedBytes"/> when its <see cref="SocketServerOptions.Connection"/> gives
    /// none, and uses the one given otherwise (so a forwarder's target connections can share it).
    /// </summary>
    public MemoryBudget? MemoryBudget { get; init; }

    /// <summary>
    /// Keeps the socket loops and the application on separate threads (default false). By default whoever wakes a
    /// waiting side runs it inline: a flush runs the send loop inside the flush, and a read that makes room runs the
    /// paused receive loop (or the application's paused flush) inside the read, so the application and the socket
    /// take turns on one core. With this set, the send loop, a paused receive loop and a paused application flush
    /// resume on the thread pool instead: a bulk transfer keeps two cores busy (reading and hashing a file while
    /// the previous bytes are sent; hashing and writing while the next bytes are received) at the cost of a thread
    /// hand-off per wake-up, which small request/response traffic pays for nothing. The application's reads still
    /// resume inline.
    /// </summary>
    public bool ResumeOnThreadPool { get; init; }

    internal PipeOptions InputPipeOptions(MemoryPool<byte> pool) => new(
        pool: pool,
        pauseWriterThreshold: InputPauseThreshold,
        resumeWriterThreshold: InputPauseThreshold / 2,
        minimumSegmentSize: MinimumReceiveSize,
        readerScheduler: PipeScheduler.Inline,
        writerScheduler: Resume,
        useSynchronizationContext: false);

    internal PipeOptions OutputPipeOptions(MemoryPool<byte> pool) => new(
        pool: pool,
        pauseWriterThreshold: OutputPauseThreshold,
        resumeWriterThreshold: OutputPauseThreshold / 2,
        minimumSegmentSize: MinimumReceiveSize,
        readerScheduler: Resume,
        writerScheduler: Resume,
        useSynchronizationContext: false);

    private PipeScheduler Resume => ResumeOnThreadPool ? PipeScheduler.ThreadPool : PipeScheduler.Inline;

    /// <summary>
    /// The clock of the connection's timestamps (activity, sends, frames in progress): the server's <see cref="SocketServerOptions.TimeProvider"/>, else the system clock.
    /// </summary>
    internal TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Options whose input buffer holds at least one frame of <paramref name="maxFrameSize"/> bytes.</summary>
    public ConnectionOptions ForMaxFrameSize(int maxFrameSize) =>
        InputPauseThreshold >= maxFrameSize + (64 << 10) ? this : this with { InputPauseThreshold = maxFrameSize + (64L << 10) };
}
