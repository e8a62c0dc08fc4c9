using System.Text;

namespace Sockit.Capture;

/// <summary>Names a TCP header's flags the way the course and Wireshark do: <c>SYN</c>, <c>SYN-ACK</c>, <c>PSH-ACK</c>, <c>FIN-ACK</c>, <c>RST</c>.</summary>
public static class TcpControlBitsText
{
    private static readonly (TcpControlBits Flag, string Name)[] Order =
    [
        (TcpControlBits.Syn, "SYN"), (TcpControlBits.Fin, "FIN"), (TcpControlBits.Rst, "RST"), (TcpControlBits.Psh, "PSH"),
        (TcpControlBits.Urg, "URG"), (TcpControlBits.Ece, "ECE"), (TcpControlBits.Cwr, "CWR"), (TcpControlBits.Ack, "ACK"),
    ];

    /// <summary>The flags joined by <c>-</c> with ACK last (<c>SYN-ACK</c>, <c>FIN-ACK</c>); <c>none</c> when no flag is set.</summary>
    public static string Name(TcpControlBits flags)
    {
        if (flags == TcpControlBits.None)
        {
            return "none";
        }

        var text = new StringBuilder(16);
        foreach (var (flag, name) in Order)
        {
            if ((flags & flag) != 0)
            {
                text.Append(text.Length == 0 ? "" : "-").Append(name);
            }
        }

        return text.ToString();
    }
}
