using System.Buffers;

namespace Sockit.Benchmarks;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> that hands out space block by block, like a PipeWriter over 4 KiB pool
/// blocks, cycling through a few preallocated blocks so that writing allocates nothing.
/// </summary>
internal sealed class BlockWriter(int blockSize, int blocks = 16) : IBufferWriter<byte>
{
    private readonly byte[][] _blocks = [.. Enumerable.Range(0, blocks).Select(_ => new byte[blockSize])];
    private int _block;
    private int _used;

    public long Written { get; private set; }

    public void Advance(int count)
    {
        _used += count;
        Written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        var need = Math.Max(sizeHint, 1);
        if (need > blockSize)
        {
            throw new ArgumentOutOfRangeException(nameof(sizeHint), sizeHint, $"a block is {blockSize} bytes");
        }

        if (blockSize - _used < need)
        {
            _block = (_block + 1) % _blocks.Length;
            _used = 0;
        }

        return _blocks[_block].AsMemory(_used);
    }

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public void Reset()
    {
        _block = 0;
        _used = 0;
        Written = 0;
    }
}
