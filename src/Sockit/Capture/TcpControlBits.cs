namespace Sockit.Capture;

/// <summary>The control bits of a TCP header (RFC 9293 section 3.1; ECE and CWR from RFC 3168), as on the wire.</summary>
[Flags]
public enum TcpControlBits : byte
{
    /// <summary>No flag set.</summary>
    None = 0,

    /// <summary>FIN: the sender has no more data to send.</summary>
    Fin = 0x01,

    /// <summary>SYN: synchronise sequence numbers (opens a connection; carries the sender's ISN).</summary>
    Syn = 0x02,

    /// <summary>RST: reset the connection.</summary>
    Rst = 0x04,

    /// <summary>PSH: push the data to the receiving application now.</summary>
    Psh = 0x08,

    /// <summary>ACK: the acknowledgement number is valid.</summary>
    Ack = 0x10,

    /// <summary>URG: the urgent pointer is valid.</summary>
    Urg = 0x20,

    /// <summary>ECE: ECN echo.</summary>
    Ece = 0x40,

    /// <summary>CWR: congestion window reduced.</summary>
    Cwr = 0x80,
}
