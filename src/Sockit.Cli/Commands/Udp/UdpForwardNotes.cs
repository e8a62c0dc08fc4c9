using System.Buffers;
using System.Globalization;
using Sockit.Diagnostics;
using Sockit.Services;
using Sockit.Udp;

namespace Sockit.Cli.Commands.Udp;

/// <summary>
/// What <c>forward --udp</c>'s <see cref="UdpForwarder"/> reports, in words on stderr: sessions opened and expired
/// under <c>-v</c>; every datagram under <c>--hex</c> (heading <c>&gt; TIME CLIENT client>target length=N</c>, <c>&lt;</c>
/// for target>client, as TCP forward's); dropped datagrams always (at most one line a second, with counts): nothing is
/// lost silently.
/// </summary>
internal sealed class UdpForwardNotes(bool verbose, bool hex, int maxSessions) : IUdpForwarderObserver
{
    public void OnDatagram(UdpForwardSession session, RelayDirection direction, ReadOnlyMemory<byte> datagram)
    {
        if (hex)
        {
            var arrow = direction == RelayDirection.ClientToTarget ? '>' : '<';
            var heading = string.Create(CultureInfo.InvariantCulture,
                $"{arrow} {DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.ffffffZ} {session.ClientName} {direction.ToLabel()} length={datagram.Length}");
            Console.Error.Write(HexDump.Format(heading, 0, new ReadOnlySequence<byte>(datagram))); // one write: lines of two sessions never interleave
        }
    }

    public void OnSessionOpened(UdpForwardSession session, int sessions)
    {
        if (verbose)
        {
            CommandRunner.Error($"udp forward: new session for {session.ClientName}: its datagrams go out from {session.LocalEndPoint} ({sessions} session(s) open)");
        }
    }

    public void OnSessionExpired(UdpForwardSession session, TimeSpan idleTimeout)
    {
        if (verbose)
        {
            CommandRunner.Error(string.Create(CultureInfo.InvariantCulture,
                $"udp forward: session for {session.ClientName} expired after {idleTimeout.TotalSeconds:0.###} s with no datagram either way "
                + $"({session.DatagramsToTarget} datagram(s) to the target, {session.DatagramsToClient} back); its next datagram opens a new one"));
        }
    }

    public void OnDropped(UdpForwardDrops drops, int sessions)
    {
        var parts = new List<string>();
        if (drops.NoSession > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"{drops.NoSession} datagram(s) ({drops.NoSessionBytes} bytes) from new clients: no session free ({sessions} open, --max-conns {maxSessions}, none idle)"));
        }

        if (drops.TargetUnreachable > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{drops.TargetUnreachable} datagram(s) to the target: ICMP port unreachable (nothing listens there)"));
        }

        if (drops.TooLarge > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{drops.TooLarge} datagram(s) larger than the limit"));
        }

        if (drops.SendFailed > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{drops.SendFailed} datagram(s) the system refused to send"));
        }

        CommandRunner.Error("udp forward: dropped " + string.Join("; ", parts));
    }
}
