namespace Sockit.Benchmarks;

/// <summary>How the bytes are laid out in memory around the decoder or encoder.</summary>
public enum Layout
{
    /// <summary>One contiguous buffer: the decoder's single-segment fast paths.</summary>
    OneSegment,

    /// <summary>4 KiB segments, like a Pipe's blocks: frames and headers straddle segment boundaries.</summary>
    Segments4K,
}
