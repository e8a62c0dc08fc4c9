using System.Diagnostics.Metrics;

namespace Sockit.Diagnostics;

/// <summary>
/// The <c>Sockit</c> meter: what <c>dotnet-counters monitor --counters Sockit</c> and OpenTelemetry see.
/// Instruments are static and thread-safe; recording with no listener attached costs next to nothing.
/// </summary>
public static class SockitMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Sockit";

    private static readonly Meter Meter = new(MeterName, typeof(SockitMetrics).Assembly.GetName().Version?.ToString());

    internal static readonly UpDownCounter<long> ActiveConnections =
        Meter.CreateUpDownCounter<long>("sockit.connections.active", "{connection}", "TCP connections open now");

    internal static readonly Counter<long> AcceptedConnections =
        Meter.CreateCounter<long>("sockit.connections.accepted", "{connection}", "TCP connections accepted");

    internal static readonly Counter<long> RejectedConnections =
        Meter.CreateCounter<long>("sockit.connections.rejected", "{connection}", "TCP connections closed at once because the connection limit was reached");

    internal static readonly Counter<long> BytesReceived =
        Meter.CreateCounter<long>("sockit.bytes.received", "By", "bytes received");

    internal static readonly Counter<long> BytesSent =
        Meter.CreateCounter<long>("sockit.bytes.sent", "By", "bytes sent");

    internal static readonly Counter<long> FramesReceived =
        Meter.CreateCounter<long>("sockit.frames.received", "{frame}", "frames decoded");

    internal static readonly Counter<long> FramesSent =
        Meter.CreateCounter<long>("sockit.frames.sent", "{frame}", "frames encoded");

    internal static readonly Counter<long> BadFrames =
        Meter.CreateCounter<long>("sockit.frames.bad", "{frame}", "frames rejected or skipped for breaking a framing rule");

    internal static readonly Counter<long> DatagramsReceived =
        Meter.CreateCounter<long>("sockit.datagrams.received", "{datagram}", "UDP datagrams received");

    internal static readonly Counter<long> DatagramsSent =
        Meter.CreateCounter<long>("sockit.datagrams.sent", "{datagram}", "UDP datagrams sent");

    internal static readonly Counter<long> DatagramsTruncated =
        Meter.CreateCounter<long>("sockit.datagrams.truncated", "{datagram}", "UDP datagrams larger than the limit, kept cut and reported");
}
