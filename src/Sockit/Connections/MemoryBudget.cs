namespace Sockit.Connections;

/// <summary>
/// A process-wide bound on the bytes that connections hold in their buffers (receive and send pipes), counted in
/// the real size of the pooled segments they rent, not in payload bytes: a frame trickled in one byte per
/// receive costs what its segments cost. Past <see cref="Limit"/>, every connection that already holds buffers
/// pauses its receive loop before it rents more (TCP flow control then slows those peers); a connection holding
/// none may still read one buffer, so clients that keep up are not stalled by those that do not (use can so
/// overshoot the limit by at most one receive buffer per such connection). An application's writes are not paused
/// (a handler that copies its input out holds both until it advances: <see cref="Services.EchoService"/> copies raw
/// and length-headed frames at most 64 KiB at a time for that reason). <see cref="SocketServer"/> resets the
/// connections that hold the most and have stopped draining, largest first. Reading resumes below 7/8 of the limit.
/// Thread-safe.
/// </summary>
/// <remarks>The idea follows Kestrel's <c>MaxRequestBufferSize</c>/<c>MaxResponseBufferSize</c>, lifted from one
/// connection to the whole process.</remarks>
public sealed class MemoryBudget
{
    private readonly Lock _gate = new();
    private TaskCompletionSource? _room;
    private long _used;
    private long _peak;

    /// <summary>Creates a budget of <paramref name="limit"/> bytes.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is below 64 KiB.</exception>
    public MemoryBudget(long limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 64L << 10);
        Limit = limit;
    }

    /// <summary>
    /// The default for this machine: an eighth of the memory the runtime may use
    /// (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>, which honours container limits), between 64 MiB and 2 GiB.
    /// </summary>
    public static long DefaultLimit => Math.Clamp(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 8, 64L << 20, 2L << 30);

    /// <summary>The bound, in bytes.</summary>
    public long Limit { get; }

    /// <summary>Bytes held in connection buffers now.</summary>
    public long Used => Volatile.Read(ref _used);

    /// <summary>The most bytes held at once since the budget was created.</summary>
    public long Peak => Volatile.Read(ref _peak);

    /// <summary>
    /// True while <see cref="Used"/> is past <see cref="Limit"/>: receive loops that hold buffers pause (and stay
    /// paused until use falls below 7/8 of the limit: see <see cref="HasPausedReceivers"/>).
    /// </summary>
    public bool IsExhausted => Volatile.Read(ref _used) > Limit;

    /// <summary>
    /// True while a receive loop waits for room: from the moment use passed <see cref="Limit"/> until it falls below
    /// 7/8 of it. Between the two, use is under the limit and yet reading stays paused, so whoever frees memory
    /// (the server cutting stalled connections) must look at this, not only at <see cref="IsExhausted"/>.
    /// </summary>
    public bool HasPausedReceivers => Volatile.Read(ref _room) is not null;

    /// <summary>Completes at once while there is room; otherwise when use falls below 7/8 of the limit.</summary>
    internal ValueTask WaitForRoomAsync()
    {
        if (!IsExhausted)
        {
            return ValueTask.CompletedTask;
        }

        lock (_gate)
        {
            if (!IsExhausted)
            {
                return ValueTask.CompletedTask;
            }

            _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return new ValueTask(_room.Task);
        }
    }

    internal void Add(long bytes)
    {
        var used = Interlocked.Add(ref _used, bytes);
        if (bytes > 0)
        {
            long peak;
            while (used > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, used, peak) != peak)
            {
            }
        }
        else if (Volatile.Read(ref _room) is not null && used < Limit - (Limit >> 3))
        {
            TaskCompletionSource? room;
            lock (_gate)
            {
                room = _room;
                _room = null;
            }

            room?.TrySetResult();
        }
    }
}
