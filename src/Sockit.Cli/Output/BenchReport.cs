using System.Globalization;
using System.Text.Json;
using HdrHistogram;
using Sockit.Load;

namespace Sockit.Cli.Output;

/// <summary>Prints an <see cref="EchoLoadResult"/>: a small table, one JSON document, or an .hgrm file.</summary>
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

    public static void WriteJson(EchoLoadResult r, Stream output)
    {
        var o = r.Options;
        using (var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("endpoint", o.Endpoint.ToString());
            if (!o.Endpoint.IsUnix)
            {
                w.WriteString("host", o.Endpoint.Host.Host);
                w.WriteNumber("port", o.Endpoint.Host.Port);
            }

            w.WriteNumber("connections", o.Connections);
            w.WriteNumber("depth", o.Depth);
            w.WriteNumber("size", o.MessageSize);
            w.WriteString("framing", o.Framing.ToString());
            w.WriteNumber("warmupSeconds", o.Warmup.TotalSeconds);
            w.WriteNumber("durationSeconds", r.Measured.TotalSeconds);
            w.WriteNumber("messages", r.Messages);
            w.WriteNumber("messagesPerSecond", Math.Round(r.MessagesPerSecond, 1));
            w.WriteNumber("mebibytesPerSecond", Math.Round(r.MebibytesPerSecond, 3));
            w.WriteNumber("sent", r.Sent);
            w.WriteNumber("verified", r.Verified);
            w.WriteStartObject("latencyMicroseconds");
            foreach (var (name, percentile) in Percentiles)
            {
                w.WriteNumber(name, r.LatencyAt(percentile));
            }

            w.WriteNumber("max", r.MaxLatency);
            w.WriteNumber("mean", r.Latency.TotalCount == 0 ? 0 : Math.Round(r.Latency.GetMean(), 1));
            w.WriteEndObject();
            w.WriteStartObject("errors");
            w.WriteNumber("lost", r.Lost);
            w.WriteNumber("reordered", r.Reordered);
            w.WriteNumber("corrupted", r.Corrupted);
            w.WriteNumber("connections", r.ConnectionErrors);
            w.WriteString("first", r.FirstError);
            w.WriteEndObject();
            w.WriteBoolean("ok", !r.HasErrors);
            w.WriteEndObject();
        }

        output.Write("\n"u8);
        output.Flush();
    }

    /// <summary>HdrHistogram's standard percentile distribution, in milliseconds as its plotters expect.</summary>
    public static void WriteHgrm(EchoLoadResult r, string path)
    {
        using var writer = new StreamWriter(path);
        r.Latency.OutputPercentileDistribution(writer, outputValueUnitScalingRatio: 1000.0);
    }
}
