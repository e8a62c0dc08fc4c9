using Sockit.Connections;
using Sockit.Framing;

namespace Sockit.Load;

/// <summary>
/// What <see cref="EchoLoadGenerator"/> does: how many connections, how many messages each keeps in flight,
/// how big they are, for how long, and in which framing. Immutable; <see cref="Validate"/> names the bad value.
/// </summary>
public sealed record EchoLoadOptions
{
    /// <summary>The smallest message: the header carrying the connection id and sequence number, 24 bytes.</summary>
    public const int MinimumMessageSize = EchoMessage.HeaderSize;

    /// <summary>The largest message: 16 MiB.</summary>
    public const int MaximumMessageSize = 16 << 20;

    /// <summary>The most messages one connection may keep in flight: 65536.</summary>
    public const int MaximumDepth = 1 << 16;

    /// <summary>
    /// The echo server: <c>HOST:PORT</c> (TCP), <c>tls://HOST:PORT</c> (TCP with TLS, see <see cref="Tls"/>),
    /// <c>unix:/path</c> or <c>unix:@name</c> (a Unix domain stream socket). TLS runs when
    /// <see cref="ConnectionEndpoint.UseTls"/> is set.
    /// </summary>
    public required ConnectionEndpoint Endpoint { get; init; }

    /// <summary>
    /// How the server's certificate is verified when <see cref="Endpoint"/> uses TLS (pin, CA, insecure, SNI,
    /// handshake timeout); null verifies against the system's roots and the dialled host. Ignored without TLS.
    /// </summary>
    public TlsClientOptions? Tls { get; init; }

    /// <summary>Concurrent connections (default 1).</summary>
    public int Connections { get; init; } = 1;

    /// <summary>Payload bytes per message, header included (default 32, at least <see cref="MinimumMessageSize"/>).</summary>
    public int MessageSize { get; init; } = 32;

    /// <summary>Messages each connection keeps in flight (default 1: ping-pong).</summary>
    public int Depth { get; init; } = 1;

    /// <summary>How long replies are measured, after the warm-up (default 10 s).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the load runs before measuring starts; its replies are checked but not counted (default 1 s).</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The framing of messages and replies (default <see cref="FrameSpec.Length"/>). With <c>raw</c> the payload is
    /// sent bare and replies are cut every <see cref="MessageSize"/> bytes. Any framing works against a server that
    /// echoes raw bytes, because the replies are parsed in the same framing.
    /// </summary>
    public FrameSpec Framing { get; init; } = FrameSpec.Length;

    /// <summary>How long one connection attempt may take (default 5 s).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to wait for replies still in flight when the duration is over (default 2 s); what has
    /// not come back by then is counted as lost.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first value that cannot work.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Endpoint);
        if (!Endpoint.IsUnix)
        {
            Check(!Endpoint.Host.IsAnyAddress && !string.IsNullOrWhiteSpace(Endpoint.Host.Host), "the host is empty");
            Check(Endpoint.Host.Port is >= 1 and <= 65535, $"port {Endpoint.Host.Port} is not between 1 and 65535");
        }

        Check(Tls is null || Tls.HandshakeTimeout > TimeSpan.Zero, "the TLS handshake timeout must be positive");
        Check(Connections is >= 1 and <= 100_000, $"{Connections} connections: use 1 to 100000");
        Check(MessageSize is >= MinimumMessageSize and <= MaximumMessageSize,
            $"a message size of {MessageSize} bytes: use {MinimumMessageSize} (the header) to {MaximumMessageSize}");
        Check(Depth is >= 1 and <= MaximumDepth, $"a depth of {Depth}: use 1 to {MaximumDepth}");
        Check(Duration > TimeSpan.Zero, $"a duration of {Duration}: it must be positive");
        Check(Warmup >= TimeSpan.Zero, $"a warm-up of {Warmup}: it cannot be negative");
        Check(ConnectTimeout > TimeSpan.Zero && DrainTimeout > TimeSpan.Zero, "the connect and drain timeouts must be positive");
        ArgumentNullException.ThrowIfNull(Framing);
        Check(Framing.Kind != FrameKind.Fixed || Framing.FixedSize == MessageSize,
            $"{Framing} framing carries {Framing.FixedSize}-byte messages, not {MessageSize}");
        Check(Framing.Kind is not (FrameKind.Line or FrameKind.Delimiter) || EchoMessage.CanCarry(Framing.Delimiter),
            $"{Framing} framing: the delimiter could appear in the bench's messages (they use 0-9 and a-z); pick another delimiter");
        Check(Framing.Kind != FrameKind.LengthPrefix || Framing.LengthWidth >= 8 || MessageSize < 1L << (8 * Framing.LengthWidth),
            $"{Framing} framing cannot carry {MessageSize}-byte messages");
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
