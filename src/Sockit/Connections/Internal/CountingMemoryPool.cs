using System.Buffers;

namespace Sockit.Connections.Internal;

/// <summary>
/// One connection's pipe memory: arrays from the process's <see cref="SegmentPool"/>, counted by their real length on the
/// connection and on the process-wide <see cref="MemoryBudget"/>. Owners are recycled, so renting allocates
/// nothing once warm. Rent and return may come from different threads (the pipe's writer and reader).
/// </summary>
internal sealed class CountingMemoryPool(MemoryBudget? budget, int minimumSegmentSize) : MemoryPool<byte>
{
    private readonly Stack<Owner> _free = new();
    private long _held;

    /// <summary>Bytes of segments rented and not yet returned.</summary>
    public long Held => Volatile.Read(ref _held);

    public override int MaxBufferSize => Array.MaxLength;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        var array = SegmentPool.Shared.Rent(Math.Max(minBufferSize, minimumSegmentSize));
        Add(array.Length);
        Owner? owner;
        lock (_free)
        {
            _free.TryPop(out owner);
        }

        owner ??= new Owner(this);
        owner.Array = array;
        return owner;
    }

    protected override void Dispose(bool disposing)
    {
    }

    private void Add(long bytes)
    {
        Interlocked.Add(ref _held, bytes);
        budget?.Add(bytes);
    }

    private void Return(Owner owner, byte[] array)
    {
        Add(-array.Length);
        SegmentPool.Shared.Return(array);
        lock (_free)
        {
            if (_free.Count < 8)
            {
                _free.Push(owner);
            }
        }
    }

    private sealed class Owner(CountingMemoryPool pool) : IMemoryOwner<byte>
    {
        public byte[]? Array { get; set; }

        public Memory<byte> Memory => Array ?? throw new ObjectDisposedException(nameof(Owner));

        public void Dispose()
        {
            if (Array is { } array)
            {
                Array = null;
                pool.Return(this, array);
            }
        }
    }
}
