using System.Diagnostics;
using System.Globalization;
using Sockit.Udp;

namespace Sockit.Cli.Commands.Udp;

/// <summary>
/// <c>--mode sink</c>: counts datagrams, bytes and sequence gaps (a message that starts with a number, as
/// <c>seq 1 1000</c> sends, carries one) per peer, and prints one summary line per peer on exit.
/// </summary>
internal static class UdpSink
{
    public static async Task<ExitCode> RunAsync(UdpServerLoop loop, UdpListenSettings settings, CancellationToken cancellationToken)
    {
        var framer = settings.Messages.CreateFramer();
        var clock = Stopwatch.StartNew();
        await loop.ServeAsync(
            (peer, datagram, _) =>
            {
                foreach (var message in framer.Split(datagram))
                {
                    if (DatagramSequence.TryRead(message.Span, out var sequence))
                    {
                        peer.ObserveSequence(sequence);
                    }
                }

                return ValueTask.CompletedTask;
            },
            cancellationToken);
        PrintSummary(loop.SnapshotPeers(), clock.Elapsed);
        return ExitCode.Success;
    }

    private static void PrintSummary(UdpPeer[] peers, TimeSpan elapsed)
    {
        var inv = CultureInfo.InvariantCulture;
        foreach (var peer in peers.OrderBy(p => p.FirstSeen))
        {
            Console.Out.WriteLine(string.Create(inv,
                $"{peer.Name}  {peer.Datagrams} datagrams  {peer.Bytes} bytes  {Gaps(peer)} gaps  {(peer.HasSequence ? peer.Late.ToString(inv) : "-")} late"));
        }

        Console.Out.WriteLine(string.Create(inv,
            $"total  {peers.Length} peers  {peers.Sum(p => p.Datagrams)} datagrams  {peers.Sum(p => p.Bytes)} bytes  {peers.Sum(p => p.Gaps)} gaps  in {elapsed.TotalSeconds:0.0} s"));
    }

    private static string Gaps(UdpPeer peer) => peer.HasSequence ? peer.Gaps.ToString(CultureInfo.InvariantCulture) : "-";
}
