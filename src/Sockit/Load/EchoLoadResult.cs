using HdrHistogram;

namespace Sockit.Load;

/// <summary>What an <see cref="EchoLoadGenerator"/> run measured and found wrong. Immutable once returned.</summary>
public sealed class EchoLoadResult
{
    internal EchoLoadResult(EchoLoadOptions options, HistogramBase latency)
    {
        Options = options;
        Latency = latency;
    }

    /// <summary>The options the run used.</summary>
    public EchoLoadOptions Options { get; }

    /// <summary>Round-trip latency of every reply in the measured window, in microseconds.</summary>
    public HistogramBase Latency { get; }

    /// <summary>
    /// The measured window: the time actually run after the warm-up, at most <see cref="EchoLoadOptions.Duration"/>;
    /// shorter when every connection failed before the duration was over, zero when they failed during the warm-up.
    /// </summary>
    public TimeSpan Measured { get; internal init; }

    /// <summary>Right replies received in the measured window.</summary>
    public long Messages { get; internal init; }

    /// <summary>Messages sent, warm-up and drain included.</summary>
    public long Sent { get; internal init; }

    /// <summary>Right replies received, warm-up and drain included.</summary>
    public long Verified { get; internal init; }

    /// <summary>Messages never answered: overtaken by more than a window of later replies, or missing at the end
    /// (after <see cref="EchoLoadOptions.DrainTimeout"/>, or when their connection failed).</summary>
    public long Lost { get; internal init; }

    /// <summary>Replies that arrived after the reply to a later message.</summary>
    public long Reordered { get; internal init; }

    /// <summary>Replies of the wrong size, with an unreadable or foreign header, an unknown or repeated sequence
    /// number, or a changed payload; and frames that broke the framing.</summary>
    public long Corrupted { get; internal init; }

    /// <summary>Connections that failed before the end (reset, closed by the server, bad framing).</summary>
    public int ConnectionErrors { get; internal init; }

    /// <summary>The first connection failure, naming the connection, or <see langword="null"/>.</summary>
    public string? FirstError { get; internal init; }

    /// <summary>Right replies per second in the measured window.</summary>
    public double MessagesPerSecond => Measured > TimeSpan.Zero ? Messages / Measured.TotalSeconds : 0;

    /// <summary>Payload mebibytes (2^20 bytes) per second echoed, counted once (one direction).</summary>
    public double MebibytesPerSecond => MessagesPerSecond * Options.MessageSize / (1 << 20);

    /// <summary>Whether anything was lost, reordered or corrupted, or a connection failed.</summary>
    public bool HasErrors => Lost + Reordered + Corrupted + ConnectionErrors > 0;

    /// <summary>The latency at <paramref name="percentile"/> (0 to 100) in microseconds; 0 when nothing was measured.</summary>
    public long LatencyAt(double percentile) => Latency.TotalCount == 0 ? 0 : Latency.GetValueAtPercentile(percentile);

    /// <summary>The largest latency in microseconds; 0 when nothing was measured.</summary>
    public long MaxLatency => Latency.TotalCount == 0 ? 0 : Latency.GetMaxValue();
}
