using Sockit.Udp;

namespace Sockit.Cli.Commands.Udp;

/// <summary>The <c>-v</c> lines: what UDP does, and above all what it does not do.</summary>
internal sealed class UdpNotes(bool verbose)
{
    public bool Verbose => verbose;

    /// <summary>A line printed only with <c>-v</c>.</summary>
    public void Say(string message)
    {
        if (verbose)
        {
            CommandRunner.Error(message);
        }
    }

    /// <summary>A line printed always: something the user must know (a cut datagram, a bad frame).</summary>
    public static void Warn(string message) => CommandRunner.Error(message);

    public void NewPeer(UdpPeer peer, int peers) =>
        Say($"udp: first datagram from {peer.Name} ({peers} peer(s) seen; no connect, no accept: a peer is just a sender)");

    public void PortUnreachable(string where) =>
        Say($"udp: ICMP port unreachable came back: nothing listens on {where} (UDP's only \"connection refused\", "
            + "reported on a later receive; the datagram is gone)");

    public static void Truncated(string sender, int limit) =>
        Warn($"udp: a datagram from {sender} was larger than {limit} bytes: truncated to its first {limit} bytes");
}
