using Sockit.Udp;

namespace Sockit.Cli.Commands.Udp;

/// <summary><c>sockit listen --udp</c>: one unconnected socket serving every peer at once.</summary>
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
        var notes = new UdpNotes(settings.Messages.Verbose);
        Console.Error.WriteLine($"sockit: listening on {endpoint.LocalEndPoint} (udp, mode {settings.Mode.ToString().ToLowerInvariant()}, framing {settings.Messages.Framing})");
        notes.Say("udp: one socket for every peer: no listen queue, no accept, no connection, no FIN; "
                  + "each datagram keeps its boundaries, and any of them may be lost, duplicated or reordered");
        var loop = new UdpServerLoop(endpoint, settings, notes);
        return settings.Mode switch
        {
            ListenMode.Echo => await EchoAsync(loop, cancellationToken),
            ListenMode.Sink => await UdpSink.RunAsync(loop, settings, cancellationToken),
            _ => await UdpStdio.RunAsync(loop, settings, cancellationToken),
        };
    }

    private static async Task<ExitCode> EchoAsync(UdpServerLoop loop, CancellationToken cancellationToken)
    {
        await loop.ServeAsync(loop.SendAsync, cancellationToken);
        return ExitCode.Success;
    }
}
