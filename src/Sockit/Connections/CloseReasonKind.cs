namespace Sockit.Connections;

/// <summary>Why a connection ended. The first reason recorded wins.</summary>
public enum CloseReasonKind
{
    /// <summary>The peer closed its side (recv returned 0, a FIN arrived) and the exchange finished.</summary>
    PeerClosed,

    /// <summary>This side closed the connection (the handler finished, or the client closed).</summary>
    LocalClosed,

    /// <summary>The peer reset the connection (RST), or vanished: a send hit a broken pipe.</summary>
    Reset,

    /// <summary>Nothing was received or sent for longer than the idle timeout.</summary>
    IdleTimeout,

    /// <summary>The peer broke the framing rules (oversize, malformed or truncated frame).</summary>
    BadFrame,

    /// <summary>The server was stopping and the drain deadline passed.</summary>
    ServerStopping,

    /// <summary>A limit was reached (connection limit, or the peer stopped reading and its send queue filled).</summary>
    LimitReached,

    /// <summary>A frame that had started did not finish within the frame timeout (a slowloris, or a stalled peer).</summary>
    FrameTimeout,

    /// <summary>The peer stopped reading while its queue was full, and it was reset so the others can go on.</summary>
    SlowConsumer,

    /// <summary>Anything else: the exception says what.</summary>
    Error,
}
