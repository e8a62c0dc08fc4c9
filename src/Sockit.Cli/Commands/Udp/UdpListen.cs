using System.Buffers;
using System.Globalization;
using System.Diagnostics;
using Sockit.Cli.Output;
using Sockit.Framing;
using Sockit.Services;
using Sockit.Udp;

namespace Sockit.Cli.Commands.Udp;

/// <summary>
/// <c>sockit listen --udp</c>: binds one unconnected socket, serves every peer with the library's
/// <see cref="UdpServer"/> and the mode's service, and prints what they report.
/// </summary>
internal static class UdpListen
{
    public static async Task<ExitCode> RunAsync(UdpListenSettings settings, CancellationToken cancellationToken)
    {
        using var endpoint = UdpEndpoint.Bind(new UdpEndpointOptions
        {
            LocalEndPoint = settings.Local,
            MaxDatagramSize = settings.Messages.MaxDatagramSize,
            SocketReceiveBufferSize = UdpMessageSettings.SocketReceiveBufferSize,
        });
        var notes = new UdpNotes(settings.Messages.Verbose, settings.Messages.Hex);
        ListeningLine.Write(endpoint.LocalEndPoint, $"udp, mode {settings.Mode.ToString().ToLowerInvariant()}, framing {settings.Messages.Framing}");
        notes.Say("udp: one socket for every peer: no listen queue, no accept, no connection, no FIN; "
                  + "each datagram keeps its boundaries, and any of them may be lost, duplicated or reordered");
        var server = new UdpServer(endpoint, new UdpServerOptions { MaxPeers = settings.MaxPeers, IdleTimeout = settings.IdleTimeout }, notes);
        switch (settings.Mode)
        {
            case ListenMode.Echo:
                await server.RunAsync(new UdpEchoService(), cancellationToken);
                break;
            case ListenMode.Sink:
                await SinkAsync(server, settings, cancellationToken);
                break;
            default:
                await StdioAsync(server, settings, cancellationToken);
                break;
        }

        return ExitCode.Success;
    }

    /// <summary>Counts until Ctrl-C, then prints one line per peer and a total.</summary>
    private static async Task SinkAsync(UdpServer server, UdpListenSettings settings, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await server.RunAsync(new UdpSinkService(settings.Messages.CreateFramer()), cancellationToken);
        var reports = UdpSinkService.Report(server);
        foreach (var report in reports)
        {
            Console.Out.WriteLine(report);
        }

        // The totals include the peers the table forgot (evicted when full, or expired when idle).
        var forgotten = server.SnapshotForgotten();
        var peers = forgotten.Peers == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{reports.Length} peers")
            : string.Create(CultureInfo.InvariantCulture, $"{reports.Length + forgotten.Peers} peers ({forgotten.Peers} forgotten)");
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"total  {peers}  {forgotten.Datagrams + reports.Sum(r => r.Datagrams)} datagrams  {forgotten.Bytes + reports.Sum(r => r.Bytes)} bytes  {forgotten.Gaps + reports.Sum(r => r.Gaps ?? 0)} gaps  in {clock.Elapsed.TotalSeconds:0.0} s"));
    }

    /// <summary>Prints each message with its sender; each stdin line goes to the peer heard from last (or all, <c>--to-all</c>).</summary>
    private static async Task StdioAsync(UdpServer server, UdpListenSettings settings, CancellationToken cancellationToken)
    {
        var printer = new DatagramPrinter(Console.Out);
        var relay = new UdpRelayService(settings.Messages.CreateFramer(),
            (peer, message) => printer.Print(peer.Name, message.Span),
            (peer, error) => UdpNotes.Warn($"udp: a datagram from {peer.Name} broke the framing: {error.Message}"));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stdin = Task.Run(() => InputFrames.ReadAllAsync(StandardDescriptors.OpenInput(), FrameSpec.Line,
            line => SendLineAsync(server, line, settings.ToAll, stop.Token), stop.Token), stop.Token);
        await server.RunAsync(relay, cancellationToken);
        await stop.CancelAsync();

        // The stdin reader may be blocked in a read that cannot be cancelled; the process is ending anyway.
        await Task.WhenAny(stdin, Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None));
    }

    private static async ValueTask SendLineAsync(UdpServer server, ReadOnlySequence<byte> line, bool toAll, CancellationToken cancellationToken)
    {
        var sent = await UdpRelayService.SendAsync(server, line.ToArray(), toAll,
            (peer, ex) => UdpNotes.Warn($"udp: not sent to {peer.Name}: {ex.Message}"), cancellationToken);
        if (sent == 0)
        {
            UdpNotes.Warn("udp: no peer has sent a datagram yet, so there is no one to send this line to (UDP has no connection to reply on)");
        }
    }
}
