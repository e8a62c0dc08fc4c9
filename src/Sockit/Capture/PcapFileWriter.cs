namespace Sockit.Capture;

/// <summary>
/// Writes captured Ethernet frames in the classic pcap file format (libpcap's; the IETF's "PCAP Capture File Format",
/// draft-ietf-opsawg-pcap) that tcpdump (<c>-r</c>), Wireshark and every capture tool read: a 24-byte file header
/// (magic <c>0xA1B2C3D4</c> in this machine's byte order, version 2.4, microsecond timestamps, link type 1 =
/// Ethernet), then per frame a 16-byte record header (seconds, microseconds, captured length, original length) and
/// the frame's bytes. Output is buffered (64 KiB); <see cref="Flush"/> and <see cref="Dispose"/> write it out. After a
/// write error the frames still buffered are gone (the <see cref="IOException"/> said so) and the writer stays usable.
/// Not thread-safe: one writer.
/// </summary>
public sealed class PcapFileWriter : IDisposable
{
    /// <summary>The link type of every frame written: LINKTYPE_ETHERNET (1), what <see cref="PacketCapture"/> yields.</summary>
    public const uint LinkTypeEthernet = 1;

    private const uint Magic = 0xA1B2C3D4; // microsecond timestamps
    private const int RecordHeaderLength = 16;
    private readonly Stream _stream;
    private readonly int _snapLength;
    private readonly byte[] _buffer;
    private int _buffered;
    private bool _disposed;

    /// <summary>Starts a pcap file on <paramref name="stream"/> (which this writer then owns), its file header buffered.</summary>
    /// <param name="stream">Where to write; disposed with this writer.</param>
    /// <param name="snapLength">The most bytes kept of any frame, recorded in the header (default
    /// <see cref="PacketCapture.MaxFrameLength"/>); longer frames are cut and keep their original length.</param>
    public PcapFileWriter(Stream stream, int snapLength = PacketCapture.MaxFrameLength)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(snapLength);
        (_stream, _snapLength) = (stream, snapLength);
        _buffer = new byte[Math.Max(64 << 10, 24 + RecordHeaderLength + snapLength)]; // the file header and any one record fit
        var header = _buffer.AsSpan(0, 24);
        BitConverter.TryWriteBytes(header, Magic);
        BitConverter.TryWriteBytes(header[4..], (ushort)2); // version 2.4
        BitConverter.TryWriteBytes(header[6..], (ushort)4);
        header[8..16].Clear(); // thiszone (GMT) and sigfigs: 0, as every writer does
        BitConverter.TryWriteBytes(header[16..], (uint)snapLength);
        BitConverter.TryWriteBytes(header[20..], LinkTypeEthernet);
        _buffered = header.Length;
    }

    /// <summary>Frames written so far.</summary>
    public long Count { get; private set; }

    /// <summary>Creates (or replaces, as <c>tcpdump -w</c> does) the file at <paramref name="path"/> and starts it.</summary>
    /// <exception cref="IOException">The file cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">No permission to create it.</exception>
    public static PcapFileWriter Create(string path) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0));

    /// <summary>Appends one frame, seen by the kernel at <paramref name="timestamp"/>.</summary>
    /// <exception cref="IOException">The file cannot be written (disk full).</exception>
    public void Write(DateTimeOffset timestamp, ReadOnlySpan<byte> frame)
    {
        var kept = frame[..Math.Min(frame.Length, _snapLength)];
        if (_buffered + RecordHeaderLength + kept.Length > _buffer.Length)
        {
            Flush();
        }

        var microseconds = (timestamp.UtcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
        var record = _buffer.AsSpan(_buffered); // in this machine's byte order, as the magic says
        BitConverter.TryWriteBytes(record, (uint)(microseconds / 1_000_000));
        BitConverter.TryWriteBytes(record[4..], (uint)(microseconds % 1_000_000));
        BitConverter.TryWriteBytes(record[8..], (uint)kept.Length);
        BitConverter.TryWriteBytes(record[12..], (uint)frame.Length);
        kept.CopyTo(record[RecordHeaderLength..]);
        _buffered += RecordHeaderLength + kept.Length;

        Count++;
    }

    /// <summary>Writes out what is buffered.</summary>
    /// <exception cref="IOException">The file cannot be written (disk full); what was buffered is dropped.</exception>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var pending = _buffered;
        _buffered = 0;
        _stream.Write(_buffer, 0, pending);
        _stream.Flush();
    }

    /// <summary>Writes out what is buffered and closes the file.</summary>
    /// <exception cref="IOException">The last frames cannot be written; the file is closed all the same.</exception>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            Flush();
        }
        finally
        {
            _disposed = true;
            _stream.Dispose();
        }
    }
}
