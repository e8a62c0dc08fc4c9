namespace Sockit.Services;

/// <summary>How a <see cref="ConnectionBridge"/> sends its input and when it gives up on a silent connection. Immutable; safe to share.</summary>
public sealed record ConnectionBridgeOptions
{
    private readonly TimeSpan _idleTimeout = Timeout.InfiniteTimeSpan;

    /// <summary>Plain line ends, and no idle timeout.</summary>
    public static ConnectionBridgeOptions Default { get; } = new();

    /// <summary>
    /// Send line ends as CRLF (default false), for SMTP, HTTP and the other CRLF protocols typed by hand (ncat's
    /// <c>--crlf</c>). With <c>raw</c> framing every <c>\n</c> of the input not already after a <c>\r</c> is sent as
    /// <c>\r\n</c>, however the input was split into reads, and nothing else changes (a last line without a line end
    /// gets none); with <c>line</c> framing each line is sent ending <c>\r\n</c>. Other framings have no line ends:
    /// the bridge refuses the option for them (<see cref="ArgumentException"/>).
    /// </summary>
    public bool SendCrlf { get; init; }

    /// <summary>
    /// Stop when no byte has gone either way for this long (netcat-openbsd's <c>-w</c> once connected, ncat's
    /// <c>--idle-timeout</c>); <see cref="Timeout.InfiniteTimeSpan"/> (the default) never. The bridge then records
    /// <see cref="Connections.CloseReasonKind.IdleTimeout"/> as the close reason and returns false, and the caller
    /// closes: with nothing in flight, a clean FIN. Checked a few times per timeout (every quarter, 10 to 250 ms).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Zero or negative, other than infinite.</exception>
    public TimeSpan IdleTimeout
    {
        get => _idleTimeout;
        init => _idleTimeout = value > TimeSpan.Zero || value == Timeout.InfiniteTimeSpan
            ? value
            : throw new ArgumentOutOfRangeException(nameof(IdleTimeout), value, "the idle timeout must be positive, or infinite");
    }
}
