using System.Net;
using System.Net.Sockets;
using Sockit.Udp;

namespace Sockit.Cli.Commands.Udp;

/// <summary>
/// <c>sockit connect --udp</c>: each stdin line (or frame) is one datagram; replies are printed as they come; at
/// stdin EOF it waits <c>--wait</c> for late replies, then exits 0. Nothing is ever "connected" on the wire.
/// </summary>
internal static class UdpConnect
{
    public static async Task<ExitCode> RunAsync(UdpConnectSettings settings, CancellationToken cancellationToken)
    {
        using var endpoint = Open(settings, out var connected);
        var messages = settings.Messages;
        var notes = new UdpNotes(messages.Verbose);
        var remote = endpoint.ToSocketAddress(settings.Remote);
        notes.Say($"udp: from {endpoint.LocalEndPoint} to {settings.Remote}: no handshake, nothing is sent until the first line; "
                  + "each line is one datagram that may be lost, duplicated or reordered");
        if (settings.Group is { } group)
        {
            Console.Error.WriteLine($"sockit: joined {group} and listening on {endpoint.LocalEndPoint} (udp multicast)");
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var hex = new UdpHexLog(messages.Hex);
        var receiving = ReceiveAsync(endpoint, hex, notes, settings, showSender: !connected, stop.Token);
        try
        {
            // A read from stdin cannot be cancelled, so Ctrl-C stops waiting for it rather than the read itself.
            await Task.Run(() => SendStdinAsync(endpoint, remote, hex, settings, notes, stop.Token), stop.Token).WaitAsync(cancellationToken);
            notes.Say($"udp: stdin ended; UDP has no FIN to tell the peer, so just waiting {settings.Wait.TotalSeconds:0.###} s for late replies");
            await Task.WhenAny(receiving, Task.Delay(settings.Wait, stop.Token));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await stop.CancelAsync();
        }

        try
        {
            await receiving; // ends with the cancellation, or carries a receive failure out
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        return ExitCode.Success;
    }

    private static UdpEndpoint Open(UdpConnectSettings settings, out bool connected)
    {
        var remote = settings.Remote;
        var v4 = remote.AddressFamily == AddressFamily.InterNetwork;
        var any = v4 ? IPAddress.Any : IPAddress.IPv6Any;
        connected = false;
        if (settings.Group is { } group)
        {
            // A group member binds the group's port on every address, shared with other members on this host.
            var member = UdpEndpoint.Bind(new UdpEndpointOptions
            {
                LocalEndPoint = new IPEndPoint(group.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, remote.Port),
                MaxDatagramSize = settings.Messages.MaxDatagramSize,
                SocketReceiveBufferSize = UdpMessageSettings.SocketReceiveBufferSize,
                ReuseAddress = true,
            });
            try
            {
                member.JoinMulticastGroup(group, settings.GroupInterfaceIndex);
                if (settings.GroupInterfaceIndex > 0)
                {
                    member.SetMulticastInterface(settings.GroupInterfaceIndex);
                }

                member.MulticastLoopback = true;
                return member;
            }
            catch
            {
                member.Dispose();
                throw;
            }
        }

        var endpoint = UdpEndpoint.Bind(new UdpEndpointOptions
        {
            LocalEndPoint = new IPEndPoint(any, 0),
            MaxDatagramSize = settings.Messages.MaxDatagramSize,
            SocketReceiveBufferSize = UdpMessageSettings.SocketReceiveBufferSize,
            EnableBroadcast = settings.Broadcast,
        });
        if (!settings.Broadcast && !UdpEndpoint.IsMulticast(remote.Address))
        {
            // Only replies from the server get through, and Linux reports an ICMP port-unreachable only to a
            // connected socket. This sends nothing: UDP's connect is a local filter, not a handshake.
            try
            {
                endpoint.Connect(remote);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AccessDenied)
            {
                endpoint.Dispose();
                throw new IOException($"the system refused to send to {remote} (permission denied): a broadcast address needs --broadcast", ex);
            }

            connected = true;
        }

        return endpoint;
    }

    private static async Task SendStdinAsync(UdpEndpoint endpoint, SocketAddress remote, UdpHexLog hex, UdpConnectSettings settings, UdpNotes notes, CancellationToken cancellationToken)
    {
        var where = settings.Remote.ToString();
        await foreach (var datagram in StdinMessages.ReadAsync(settings.Messages.Framing, settings.Messages.FramingOptions, cancellationToken))
        {
            hex.Out(where, datagram);
            if (await endpoint.SendAsync(datagram, remote, cancellationToken) == DatagramStatus.PortUnreachable)
            {
                notes.PortUnreachable(where);
                await endpoint.SendAsync(datagram, remote, cancellationToken); // that error was news about an earlier datagram
            }
        }
    }

    private static async Task ReceiveAsync(UdpEndpoint endpoint, UdpHexLog hex, UdpNotes notes, UdpConnectSettings settings, bool showSender, CancellationToken cancellationToken)
    {
        var printer = new DatagramPrinter(Console.Out);
        var buffer = new byte[endpoint.ReceiveBufferSize];
        var sender = endpoint.CreateSocketAddress();
        var repliers = new UdpPeerTable(); // a broadcast or a group can answer from many addresses
        while (true)
        {
            var result = await endpoint.ReceiveAsync(buffer, sender, cancellationToken);
            if (result.Status == DatagramStatus.PortUnreachable)
            {
                notes.PortUnreachable(settings.Remote.ToString());
                continue;
            }

            var peer = repliers.Observe(sender, result.Length, out _);
            if (result.Status == DatagramStatus.Truncated)
            {
                UdpNotes.Truncated(peer.Name, endpoint.MaxDatagramSize);
            }

            hex.In(peer.Name, buffer.AsMemory(0, result.Length));
            printer.Print(showSender ? peer.Name : null, buffer.AsSpan(0, result.Length));
        }
    }
}
