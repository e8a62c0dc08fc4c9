using System.Text;
using Sockit.Udp;

namespace Sockit.Cli.Commands.Udp;

/// <summary>
/// <c>--mode stdio</c>: prints each message with its sender; each stdin line goes as one datagram to the peer
/// heard from last (or, with <c>--to-all</c>, to every peer remembered).
/// </summary>
internal static class UdpStdio
{
    public static async Task<ExitCode> RunAsync(UdpServerLoop loop, UdpListenSettings settings, CancellationToken cancellationToken)
    {
        var framer = settings.Messages.CreateFramer();
        var printer = new DatagramPrinter(Console.Out);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stdin = Task.Run(() => SendStdinAsync(loop, settings.ToAll, stop.Token), stop.Token);
        await loop.ServeAsync(
            (peer, datagram, _) =>
            {
                foreach (var message in framer.Split(datagram))
                {
                    printer.Print(peer.Name, message.Span);
                }

                if (framer.LastError is { } error)
                {
                    UdpNotes.Warn($"udp: a datagram from {peer.Name} broke the framing: {error.Message}");
                }

                return ValueTask.CompletedTask;
            },
            cancellationToken);
        await stop.CancelAsync();

        // The stdin reader may be blocked in a read that cannot be cancelled; the process is ending anyway.
        await Task.WhenAny(stdin, Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None));
        return ExitCode.Success;
    }

    private static async Task SendStdinAsync(UdpServerLoop loop, bool toAll, CancellationToken cancellationToken)
    {
        using var stdin = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
        while (await stdin.ReadLineAsync(cancellationToken) is { } line)
        {
            var datagram = Encoding.UTF8.GetBytes(line);
            UdpPeer[] targets = toAll ? loop.SnapshotPeers() : loop.LastPeer is { } last ? [last] : [];
            if (targets.Length == 0)
            {
                UdpNotes.Warn("udp: no peer has sent a datagram yet, so there is no one to send this line to (UDP has no connection to reply on)");
                continue;
            }

            foreach (var peer in targets)
            {
                try
                {
                    await loop.SendAsync(peer, datagram, cancellationToken);
                }
                catch (Exception ex) when (ex is DatagramTooLargeException or System.Net.Sockets.SocketException)
                {
                    // A server keeps serving: one line it could not send is reported, not fatal.
                    UdpNotes.Warn($"udp: not sent to {peer.Name}: {ex.Message}");
                }
            }
        }
    }
}
