using System.Numerics;

namespace Sockit.Connections.Internal;

/// <summary>
/// The arrays behind every connection's pipe segments, one pool for the process. Unlike
/// <c>ArrayPool&lt;byte&gt;.Shared</c>, which keeps returned arrays until some later gen 2 collection trims them (an
/// idle server has none), it keeps a bounded number (at most <see cref="RetainedBytesPerSize"/> per size) and can be
/// emptied on demand, so memory taken during a burst goes back once the burst is over (Kestrel's pool evicts idle
/// blocks for the same reason). Sizes are powers of two from 4 KiB to 1 MiB; larger arrays are not kept. Thread-safe.
/// </summary>
internal sealed class SegmentPool
{
    /// <summary>The most bytes kept free for one size.</summary>
    public const int RetainedBytesPerSize = 2 << 20;

    private const int SmallestShift = 12; // 4 KiB
    private const int LargestShift = 20;  // 1 MiB

    private readonly Bucket[] _buckets = Enumerable.Range(SmallestShift, LargestShift - SmallestShift + 1)
        .Select(shift => new Bucket(1 << shift)).ToArray();

    public static SegmentPool Shared { get; } = new();

    /// <summary>An array of at least <paramref name="minimumLength"/> bytes (its contents are not cleared).</summary>
    public byte[] Rent(int minimumLength)
    {
        var shift = Math.Max(SmallestShift, 32 - BitOperations.LeadingZeroCount((uint)Math.Max(minimumLength, 1) - 1));
        return shift > LargestShift ? GC.AllocateUninitializedArray<byte>(minimumLength) : _buckets[shift - SmallestShift].Rent();
    }

    /// <summary>Takes back an array from <see cref="Rent"/>; keeps it if its size has room, otherwise leaves it to the GC.</summary>
    public void Return(byte[] array)
    {
        if (BitOperations.IsPow2(array.Length) && array.Length is >= 1 << SmallestShift and <= 1 << LargestShift)
        {
            _buckets[BitOperations.Log2((uint)array.Length) - SmallestShift].Return(array);
        }
    }

    /// <summary>Drops every free array (the ones in use are untouched). Returns the bytes let go.</summary>
    public long Trim() => _buckets.Sum(b => b.Trim());

    private sealed class Bucket(int size)
    {
        private readonly byte[]?[] _free = new byte[Math.Max(RetainedBytesPerSize / size, 2)][];
        private int _count;

        public byte[] Rent()
        {
            lock (_free)
            {
                if (_count > 0)
                {
                    var array = _free[--_count]!;
                    _free[_count] = null;
                    return array;
                }
            }

            return GC.AllocateUninitializedArray<byte>(size);
        }

        public void Return(byte[] array)
        {
            lock (_free)
            {
                if (_count < _free.Length)
                {
                    _free[_count++] = array;
                }
            }
        }

        public long Trim()
        {
            lock (_free)
            {
                var bytes = (long)_count * size;
                Array.Clear(_free, 0, _count);
                _count = 0;
                return bytes;
            }
        }
    }
}
