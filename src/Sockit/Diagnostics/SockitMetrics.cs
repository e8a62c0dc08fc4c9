using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Sockit.Diagnostics;

/// <summary>
/// The <c>Sockit</c> meter: what <c>dotnet-counters monitor --counters Sockit</c> and OpenTelemetry see.
/// By default every server and socket records on one process-wide meter; a server or UDP endpoint given an
/// <see cref="IMeterFactory"/> (<see cref="Connections.SocketServerOptions.MeterFactory"/>,
/// <see cref="Udp.UdpEndpointOptions.MeterFactory"/>) records on the meter that factory makes instead, so a host with
/// dependency injection owns its meters and a test can count exactly what its own server did. Instruments are
/// thread-safe; recording with no listener attached costs next to nothing.
/// </summary>
public sealed class SockitMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Sockit";

    private static readonly string? Version = typeof(SockitMetrics).Assembly.GetName().Version?.ToString();

    // One instance per factory: a factory returns the same Meter for the same name, and its instruments are made once.
    private static readonly ConditionalWeakTable<IMeterFactory, SockitMetrics> ByFactory = [];

    private SockitMetrics(Meter meter)
    {
        ActiveConnections = meter.CreateUpDownCounter<long>("sockit.connections.active", "{connection}", "TCP connections open now");
        AcceptedConnections = meter.CreateCounter<long>("sockit.connections.accepted", "{connection}", "TCP connections accepted");
        RejectedConnections = meter.CreateCounter<long>("sockit.connections.rejected", "{connection}", "TCP connections closed at once because the connection limit was reached");
        BytesReceived = meter.CreateCounter<long>("sockit.bytes.received", "By", "bytes received");
        BytesSent = meter.CreateCounter<long>("sockit.bytes.sent", "By", "bytes sent");
        FramesReceived = meter.CreateCounter<long>("sockit.frames.received", "{frame}", "frames decoded");
        FramesSent = meter.CreateCounter<long>("sockit.frames.sent", "{frame}", "frames encoded");
        BadFrames = meter.CreateCounter<long>("sockit.frames.bad", "{frame}", "frames rejected or skipped for breaking a framing rule");
        DatagramsReceived = meter.CreateCounter<long>("sockit.datagrams.received", "{datagram}", "UDP datagrams received");
        DatagramsSent = meter.CreateCounter<long>("sockit.datagrams.sent", "{datagram}", "UDP datagrams sent");
        DatagramsTruncated = meter.CreateCounter<long>("sockit.datagrams.truncated", "{datagram}", "UDP datagrams larger than the limit, kept cut and reported");
    }

    /// <summary>The process-wide meter, used when no <see cref="IMeterFactory"/> is given.</summary>
    internal static SockitMetrics Default { get; } = new(new Meter(MeterName, Version));

    internal UpDownCounter<long> ActiveConnections { get; }

    internal Counter<long> AcceptedConnections { get; }

    internal Counter<long> RejectedConnections { get; }

    internal Counter<long> BytesReceived { get; }

    internal Counter<long> BytesSent { get; }

    internal Counter<long> FramesReceived { get; }

    internal Counter<long> FramesSent { get; }

    internal Counter<long> BadFrames { get; }

    internal Counter<long> DatagramsReceived { get; }

    internal Counter<long> DatagramsSent { get; }

    internal Counter<long> DatagramsTruncated { get; }

    /// <summary>The instruments on <paramref name="factory"/>'s <c>Sockit</c> meter; <see cref="Default"/> when it is null.</summary>
    internal static SockitMetrics For(IMeterFactory? factory) =>
        factory is null ? Default : ByFactory.GetValue(factory, f => new SockitMetrics(f.Create(new MeterOptions(MeterName) { Version = Version })));
}
