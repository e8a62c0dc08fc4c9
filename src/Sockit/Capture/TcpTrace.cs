using System.Runtime.CompilerServices;

namespace Sockit.Capture;

/// <summary>
/// A live trace of the TCP segments on one interface: a <see cref="PacketCapture"/>, the
/// <see cref="PacketDecoder"/> and a <see cref="TcpTracker"/> together, optionally keeping only segments to or
/// from some ports. Needs CAP_NET_RAW. One reader at a time.
/// </summary>
public sealed class TcpTrace : IDisposable
{
    private readonly PacketCapture _capture;
    private readonly IReadOnlySet<int>? _ports;
    private readonly PcapFileWriter? _saveTo;
    private readonly TcpTracker _tracker = new();
    private readonly byte[] _buffer = new byte[PacketCapture.MaxFrameLength];

    private TcpTrace(PacketCapture capture, IReadOnlySet<int>? ports, PcapFileWriter? saveTo)
    {
        _capture = capture;
        _ports = ports;
        _saveTo = saveTo;
    }

    /// <summary>The interface being traced.</summary>
    public string InterfaceName => _capture.InterfaceName;

    /// <summary>
    /// Starts capturing on <paramref name="interfaceName"/>; with <paramref name="ports"/>, only segments whose
    /// source or destination port is one of them are yielded. Segments sent before this returns are not seen. With
    /// <paramref name="saveTo"/>, the frame of each segment yielded is written there first (<c>tcpdump -w</c>); the
    /// caller keeps owning it.
    /// </summary>
    /// <exception cref="CapturePermissionException">The process lacks CAP_NET_RAW.</exception>
    /// <exception cref="ArgumentException">No interface has that name.</exception>
    public static TcpTrace Start(string interfaceName = "lo", IReadOnlySet<int>? ports = null, PcapFileWriter? saveTo = null) =>
        new(PacketCapture.Open(interfaceName, CaptureFilter.Build(ports, udp: false)), ports, saveTo);

    /// <summary>
    /// Yields each matching segment as it arrives, until <paramref name="cancellationToken"/> is cancelled (which
    /// ends the enumeration with <see cref="OperationCanceledException"/>).
    /// </summary>
    public async IAsyncEnumerable<TracedSegment> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var frame = await _capture.ReceiveAsync(_buffer, cancellationToken).ConfigureAwait(false);
            if (Match(_buffer.AsSpan(0, frame.Length)) is { } packet && _tracker.Track(frame.Timestamp, packet) is { } segment)
            {
                _saveTo?.Write(frame.Timestamp, _buffer.AsSpan(0, frame.Length));
                yield return segment;
            }
        }
    }

    /// <summary>The kernel's counters for the capture socket since the trace started.</summary>
    public CaptureStatistics ReadStatistics() => _capture.ReadStatistics();

    /// <inheritdoc/>
    public void Dispose() => _capture.Dispose();

    private DecodedPacket? Match(ReadOnlySpan<byte> frame)
    {
        // The kernel's filter has already kept only TCP on the ports asked for; this check is the decoder's own.
        if (!PacketDecoder.TryDecode(frame, out var packet) || packet!.Tcp is not { } tcp)
        {
            return null;
        }

        return _ports is null || _ports.Contains(tcp.SourcePort) || _ports.Contains(tcp.DestinationPort) ? packet : null;
    }
}
