using System.Globalization;
using HdrHistogram;
using Sockit.Load;

namespace Sockit.Cli.Output;

/// <summary>Prints an <see cref="EchoLoadResult"/>: a small table or an .hgrm file (the JSON document is <see cref="Json.BenchDocument"/>).</summary>
internal static class BenchReport
{
    private static readonly (string Name, double Percentile)[] Percentiles =
        [("p50", 50), ("p90", 90), ("p99", 99), ("p99.9", 99.9)];

    public static void WriteText(EchoLoadResult r, TextWriter output)
    {
        var o = r.Options;
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"target      {o.Endpoint}  conns {o.Connections}  depth {o.Depth}  size {o.MessageSize} B  framing {o.Framing}"));
        output.WriteLine(string.Create(c, $"measured    {r.Measured.TotalSeconds:0.###} s after a {o.Warmup.TotalSeconds:0.###} s warm-up: {r.Messages:N0} replies"));
        output.WriteLine(string.Create(c, $"throughput  {r.MessagesPerSecond:N0} msg/s  {r.MebibytesPerSecond:N2} MiB/s"));
        var latency = string.Join("  ", Percentiles.Select(p => string.Create(c, $"{p.Name} {r.LatencyAt(p.Percentile):N0}")));
        output.WriteLine(string.Create(c, $"latency µs  {latency}  max {r.MaxLatency:N0}"));
        output.WriteLine(string.Create(c, $"errors      lost {r.Lost}  reordered {r.Reordered}  corrupted {r.Corrupted}  connections {r.ConnectionErrors}"));
    }

    /// <summary>HdrHistogram's standard percentile distribution, in milliseconds as its plotters expect.</summary>
    public static void WriteHgrm(EchoLoadResult r, string path)
    {
        using var writer = new StreamWriter(path);
        r.Latency.OutputPercentileDistribution(writer, outputValueUnitScalingRatio: 1000.0);
    }
}
