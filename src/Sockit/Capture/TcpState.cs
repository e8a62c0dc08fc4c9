namespace Sockit.Capture;

/// <summary>
/// A TCP socket's state as the Linux kernel numbers it (<c>include/net/tcp_states.h</c>, the values in the
/// <c>st</c> column of <c>/proc/net/tcp</c>); the names are RFC 9293's.
/// </summary>
public enum TcpState
{
    /// <summary>No state: the kernel has no socket for this connection (closed and gone).</summary>
    Closed = 0,

    /// <summary>ESTABLISHED: the handshake is done; data flows both ways.</summary>
    Established = 1,

    /// <summary>SYN_SENT: connect() sent a SYN and waits for the SYN-ACK.</summary>
    SynSent = 2,

    /// <summary>SYN_RECV: a listener got a SYN, answered SYN-ACK and waits for the last ACK.</summary>
    SynReceived = 3,

    /// <summary>FIN_WAIT1: this side sent its FIN and waits for it to be acknowledged.</summary>
    FinWait1 = 4,

    /// <summary>FIN_WAIT2: this side's FIN is acknowledged; it waits for the peer's FIN.</summary>
    FinWait2 = 5,

    /// <summary>TIME_WAIT: the side that closed first waits (2 × MSL; 60 s on Linux) so late segments die out.</summary>
    TimeWait = 6,

    /// <summary>CLOSE: the kernel's closed state (a socket being torn down).</summary>
    Close = 7,

    /// <summary>CLOSE_WAIT: the peer sent FIN; this side's application has not closed yet.</summary>
    CloseWait = 8,

    /// <summary>LAST_ACK: this side sent its FIN after the peer's and waits for the last ACK.</summary>
    LastAck = 9,

    /// <summary>LISTEN: a server socket waiting for connections.</summary>
    Listen = 10,

    /// <summary>CLOSING: both sides sent FIN at the same time; waiting for the ACK of ours.</summary>
    Closing = 11,

    /// <summary>NEW_SYN_RECV: Linux's light-weight request socket for a half-open connection.</summary>
    NewSynReceived = 12,
}
