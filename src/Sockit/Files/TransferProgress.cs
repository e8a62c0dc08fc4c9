namespace Sockit.Files;

/// <summary>
/// Live counters of a transfer, for a progress display: read them from any thread while the transfer runs.
/// Totals are known to the sender only (it walks its sources before sending).
/// </summary>
public sealed class TransferProgress
{
    private long _bytes;
    private long _entriesDone;
    private long _failed;
    private string _current = "";
    private long _currentSize;
    private long _currentBytes;

    /// <summary>Content bytes handed to the connection (sender) or stored (receiver) so far.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Entries answered (verified, refused or failed) so far.</summary>
    public long EntriesDone => Interlocked.Read(ref _entriesDone);

    /// <summary>Entries refused or failed so far.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>The content bytes of all entries, when known (the sender's plan); 0 when not.</summary>
    public long TotalBytes { get; set; }

    /// <summary>The number of entries, when known; 0 when not.</summary>
    public long TotalEntries { get; set; }

    /// <summary>The name of the file whose content is moving now (printable).</summary>
    public string CurrentName => Volatile.Read(ref _current);

    /// <summary>The size of the current file in bytes.</summary>
    public long CurrentSize => Interlocked.Read(ref _currentSize);

    /// <summary>Bytes of the current file done so far.</summary>
    public long CurrentBytes => Interlocked.Read(ref _currentBytes);

    internal void StartFile(string name, long size, long offset)
    {
        Volatile.Write(ref _current, name);
        Interlocked.Exchange(ref _currentSize, size);
        Interlocked.Exchange(ref _currentBytes, offset);
    }

    internal void AddBytes(long count)
    {
        Interlocked.Add(ref _bytes, count);
        Interlocked.Add(ref _currentBytes, count);
    }

    internal void EntryDone(bool verified)
    {
        Interlocked.Increment(ref _entriesDone);
        if (!verified)
        {
            Interlocked.Increment(ref _failed);
        }
    }
}
