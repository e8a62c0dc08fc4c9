using System.Text.Json.Serialization;
using HdrHistogram;
using Sockit.Load;

namespace Sockit.Cli.Output.Json;

/// <summary><c>sockit bench --json</c>: the run's settings, throughput, latency and every kind of error counted.</summary>
/// <param name="Endpoint">The target as given (<c>127.0.0.1:7000</c>, <c>unix:/run/echo.sock</c>, <c>tls://host:443</c>).</param>
/// <param name="Host">A TCP target's host; absent for a Unix socket.</param>
/// <param name="Port">A TCP target's port; absent for a Unix socket.</param>
/// <param name="Connections">Connections opened (<c>--conns</c>).</param>
/// <param name="Depth">Messages in flight per connection (<c>--depth</c>).</param>
/// <param name="Size">Bytes per message: the payload with its sequence header, the frame header excluded (<c>--size</c>).</param>
/// <param name="Framing">The frame spec (<c>length</c>, <c>line</c>…).</param>
/// <param name="WarmupSeconds">The warm-up, not measured, seconds.</param>
/// <param name="DurationSeconds">The measured window, seconds: the time actually run, shorter than <c>--duration</c> when the run ended early.</param>
/// <param name="Messages">Replies received in the measured window.</param>
/// <param name="MessagesPerSecond">Replies per second over the measured window, one decimal.</param>
/// <param name="MebibytesPerSecond">Reply payload MiB (2^20 bytes) per second, three decimals.</param>
/// <param name="Sent">Messages sent in the whole run, warm-up included.</param>
/// <param name="Verified">Replies checked (sequence number and content) in the whole run.</param>
/// <param name="LatencyMicroseconds">Round-trip latency percentiles, µs.</param>
/// <param name="Errors">What went wrong, counted.</param>
/// <param name="Ok">True when no error of any kind was counted.</param>
internal sealed record BenchDocument(
    string Endpoint,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Host,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Port,
    int Connections,
    int Depth,
    int Size,
    string Framing,
    double WarmupSeconds,
    double DurationSeconds,
    long Messages,
    double MessagesPerSecond,
    double MebibytesPerSecond,
    long Sent,
    long Verified,
    BenchLatency LatencyMicroseconds,
    BenchErrors Errors,
    bool Ok)
{
    public static BenchDocument From(EchoLoadResult r)
    {
        var o = r.Options;
        var tcp = o.Endpoint.IsUnix ? null : o.Endpoint.Host;
        return new(
            o.Endpoint.ToString(),
            tcp?.Host,
            tcp?.Port,
            o.Connections,
            o.Depth,
            o.MessageSize,
            o.Framing.ToString(),
            o.Warmup.TotalSeconds,
            r.Measured.TotalSeconds,
            r.Messages,
            Math.Round(r.MessagesPerSecond, 1),
            Math.Round(r.MebibytesPerSecond, 3),
            r.Sent,
            r.Verified,
            new BenchLatency(
                r.LatencyAt(50), r.LatencyAt(90), r.LatencyAt(99), r.LatencyAt(99.9), r.MaxLatency,
                r.Latency.TotalCount == 0 ? 0 : Math.Round(r.Latency.GetMean(), 1)),
            new BenchErrors(r.Lost, r.Reordered, r.Corrupted, r.ConnectionErrors, r.FirstError),
            !r.HasErrors);
    }
}

/// <summary>Round-trip latency of the measured replies, µs (0 everywhere when there were none).</summary>
/// <param name="Mean">The mean, one decimal.</param>
internal sealed record BenchLatency(
    long P50,
    long P90,
    long P99,
    [property: JsonPropertyName("p99.9")] long P999,
    long Max,
    double Mean);

/// <summary>The errors of a bench run.</summary>
/// <param name="Lost">Messages never answered (within the drain timeout, or their connection failed).</param>
/// <param name="Reordered">Replies that came back out of order.</param>
/// <param name="Corrupted">Replies whose content differed from what was sent.</param>
/// <param name="Connections">Connections that failed (refused, reset, closed by the server).</param>
/// <param name="First">The first error in words, null when there was none.</param>
internal sealed record BenchErrors(long Lost, long Reordered, long Corrupted, long Connections, string? First);
