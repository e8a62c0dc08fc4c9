using Sockit.Capture;

namespace Sockit.Lessons;

/// <summary>
/// Captures a lesson's packets (TCP or UDP, to or from its ports) on loopback in the background when the process
/// may (CAP_NET_RAW); otherwise the lesson runs without them and says why. Keeps at most
/// <see cref="MaxPackets"/> packets: lessons send few.
/// </summary>
internal sealed class LessonCapture : IAsyncDisposable
{
    /// <summary>The <see cref="LessonRun.Capture"/> text when packets were captured.</summary>
    public const string Running = "captured on lo";

    /// <summary>The text when capture was not allowed.</summary>
    public const string NotAllowed = "no capture: it needs CAP_NET_RAW (run as root, or setcap cap_net_raw+ep on sockit)";

    private const int MaxPackets = 10_000;

    private readonly PacketCapture? _capture;
    private readonly HashSet<int> _ports;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(DateTimeOffset Time, byte[] Frame, DecodedPacket Packet)> _packets = [];
    private readonly Task _reader = Task.CompletedTask;
    private long _lastArrival = Environment.TickCount64;

    private LessonCapture(PacketCapture? capture, HashSet<int> ports)
    {
        _capture = capture;
        _ports = ports;
        if (capture is not null)
        {
            _reader = Task.Run(ReadAsync);
        }
    }

    /// <summary><see cref="Running"/>, or why there is no capture.</summary>
    public string Status => _capture is null ? NotAllowed : Running;

    /// <summary>Starts capturing packets to or from any of <paramref name="ports"/> on <c>lo</c>, if allowed.</summary>
    public static LessonCapture Start(params int[] ports)
    {
        try
        {
            return new LessonCapture(PacketCapture.Open("lo", CaptureFilter.Build(ports, udp: true)), [.. ports]);
        }
        catch (CapturePermissionException)
        {
            return new LessonCapture(null, [.. ports]);
        }
    }

    /// <summary>The captured TCP packets as traced segments, in order.</summary>
    public static List<TracedSegment> Trace(IEnumerable<(DateTimeOffset Time, byte[] Frame, DecodedPacket Packet)> packets)
    {
        var tracker = new TcpTracker();
        return [.. packets.Select(p => tracker.Track(p.Time, p.Packet)).OfType<TracedSegment>()];
    }

    /// <summary>
    /// Waits until no packet has arrived for a moment (at most 1 s), stops, and returns the packets in order.
    /// </summary>
    public async Task<IReadOnlyList<(DateTimeOffset Time, byte[] Frame, DecodedPacket Packet)>> StopAsync(CancellationToken cancellationToken = default)
    {
        var deadline = Environment.TickCount64 + 1000;
        while (_capture is not null && Environment.TickCount64 < deadline && Environment.TickCount64 - Interlocked.Read(ref _lastArrival) < 150)
        {
            await Task.Delay(25, cancellationToken).ConfigureAwait(false);
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        // What the kernel queued before the stop and a reader starved on a busy machine had not taken yet (the last
        // segment of a close, typically) is taken now: every packet sent before StopAsync is in the result.
        if (_capture is not null)
        {
            var buffer = new byte[PacketCapture.MaxFrameLength];
            while (_capture.TryReceive(buffer, out var frame))
            {
                Keep(buffer, frame);
            }
        }

        lock (_packets)
        {
            return [.. _packets];
        }
    }

    /// <summary><see cref="StopAsync"/>, then the TCP packets as traced segments.</summary>
    public async Task<IReadOnlyList<TracedSegment>> StopTraceAsync(CancellationToken cancellationToken = default) =>
        Trace(await StopAsync(cancellationToken).ConfigureAwait(false));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _capture?.Dispose();
        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[PacketCapture.MaxFrameLength];
        while (true)
        {
            var frame = await _capture!.ReceiveAsync(buffer, _stop.Token).ConfigureAwait(false);
            Keep(buffer, frame);
        }
    }

    /// <summary>Keeps a frame of the lesson's ports (the first <see cref="MaxPackets"/>).</summary>
    private void Keep(byte[] buffer, CapturedFrame frame)
    {
        if (!PacketDecoder.TryDecode(buffer.AsSpan(0, frame.Length), out var packet)
            || (packet!.Tcp, packet.Udp) switch
            {
                ({ } t, _) => !_ports.Contains(t.SourcePort) && !_ports.Contains(t.DestinationPort),
                (_, { } u) => !_ports.Contains(u.SourcePort) && !_ports.Contains(u.DestinationPort),
                _ => true,
            })
        {
            return;
        }

        lock (_packets)
        {
            if (_packets.Count < MaxPackets)
            {
                _packets.Add((frame.Timestamp, buffer[..frame.Length], packet));
            }
        }

        Interlocked.Exchange(ref _lastArrival, Environment.TickCount64);
    }
}
