using System.Net;
using Sockit.Diagnostics;
using Sockit.Udp;

namespace Sockit.Cli.Commands.Udp;

/// <summary>
/// What the library's UDP server and client report, put into words on stderr: the <c>-v</c> lines (what UDP does,
/// and above all what it does not do), the warnings everyone sees, and the <c>--hex</c> dumps.
/// </summary>
internal sealed class UdpNotes(bool verbose, bool hex) : IUdpObserver
{
    private readonly UdpHexLog _hex = new(hex);

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

    public void OnPeerAdded(UdpPeer peer, int peers) =>
        Say($"udp: first datagram from {peer.Name} ({peers} peer(s) seen; no connect, no accept: a peer is just a sender)");

    public void OnPeersExpired(int count, TimeSpan idleTimeout) =>
        Say($"udp: forgot {count} peer(s) quiet for {idleTimeout.TotalSeconds:0.###} s (UDP has no FIN: silence is all a server learns)");

    public void OnPortUnreachable(IPEndPoint? remote) =>
        Say($"udp: ICMP port unreachable came back: nothing listens on {remote?.ToString() ?? "a peer we sent to"} (UDP's only \"connection refused\", "
            + "reported on a later receive; the datagram is gone)");

    public void OnTruncated(UdpPeer peer, int limit) =>
        Warn($"udp: a datagram from {peer.Name} was larger than {limit} bytes: truncated to its first {limit} bytes");

    public void OnDatagram(TrafficDirection direction, string peer, ReadOnlyMemory<byte> datagram) => _hex.Dump(direction, peer, datagram);

    public void OnInputEnded(TimeSpan wait) =>
        Say($"udp: stdin ended; UDP has no FIN to tell the peer, so just waiting {wait.TotalSeconds:0.###} s for late replies");
}
