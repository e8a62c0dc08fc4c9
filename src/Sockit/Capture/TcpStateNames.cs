namespace Sockit.Capture;

/// <summary>The names <c>ss</c> and the course use for <see cref="TcpState"/> values.</summary>
public static class TcpStateNames
{
    /// <summary>The kernel's name: <c>ESTABLISHED</c>, <c>SYN_SENT</c>, <c>FIN_WAIT_1</c>, <c>TIME_WAIT</c>, <c>CLOSED</c>…</summary>
    public static string Name(TcpState state) => state switch
    {
        TcpState.Closed => "CLOSED",
        TcpState.Established => "ESTABLISHED",
        TcpState.SynSent => "SYN_SENT",
        TcpState.SynReceived => "SYN_RECV",
        TcpState.FinWait1 => "FIN_WAIT_1",
        TcpState.FinWait2 => "FIN_WAIT_2",
        TcpState.TimeWait => "TIME_WAIT",
        TcpState.Close => "CLOSE",
        TcpState.CloseWait => "CLOSE_WAIT",
        TcpState.LastAck => "LAST_ACK",
        TcpState.Listen => "LISTEN",
        TcpState.Closing => "CLOSING",
        TcpState.NewSynReceived => "NEW_SYN_RECV",
        _ => state.ToString(),
    };
}
