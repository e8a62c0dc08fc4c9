using System.Net.Sockets;
using Sockit.Cli.Output;
using Sockit.Connections;
using Sockit.Udp;

namespace Sockit.Cli.Commands.Udp;

/// <summary>
/// <c>sockit connect --udp</c>: opens a library <see cref="UdpClientSession"/> (each stdin line or frame one datagram,
/// a wait for late replies at stdin EOF) and prints the replies. Nothing is ever "connected" on the wire.
/// </summary>
internal static class UdpConnect
{
    public static async Task<ExitCode> RunAsync(UdpConnectSettings settings, CancellationToken cancellationToken)
    {
        var messages = settings.Messages;
        var notes = new UdpNotes(messages.Verbose, messages.Hex);
        using var session = Open(settings, notes);
        notes.Say($"udp: from {session.LocalEndPoint} to {settings.Remote}: no handshake, nothing is sent until the first line; "
                  + "each line is one datagram that may be lost, duplicated or reordered");
        if (settings.Group is { } group)
        {
            Console.Error.WriteLine($"sockit: joined {group} and listening on {session.LocalEndPoint} (udp multicast)");
        }

        // A reply from the one server is shown bare; broadcast and multicast replies come from many, so with their sender.
        var printer = new DatagramPrinter(Console.Out);
        await session.RunAsync(StandardDescriptors.OpenInput(), messages.Framing, messages.FramingOptions, settings.Wait,
            (peer, reply) => printer.Print(session.IsConnected ? null : peer.Name, reply.Span), cancellationToken);
        return ExitCode.Success;
    }

    /// <summary>The session's socket, bound where <c>--source</c> says: a source address this host lacks is one line (as TCP's).</summary>
    private static UdpClientSession Open(UdpConnectSettings settings, UdpNotes notes)
    {
        try
        {
            return UdpClientSession.Open(new UdpClientOptions
            {
                Remote = settings.Remote,
                LocalEndPoint = settings.Local,
                MaxDatagramSize = settings.Messages.MaxDatagramSize,
                SocketReceiveBufferSize = UdpMessageSettings.SocketReceiveBufferSize,
                EnableBroadcast = settings.Broadcast,
                Group = settings.Group,
                GroupInterfaceIndex = settings.GroupInterfaceIndex,
            }, notes);
        }
        catch (SocketException ex) when (settings.Local is { } local)
        {
            throw ConnectionException.From(ex.SocketErrorCode, local.ToString(), "bind the source address", ex);
        }
    }
}
