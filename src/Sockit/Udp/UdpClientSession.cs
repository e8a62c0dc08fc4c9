using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Sockit.Connections;
using Sockit.Diagnostics;
using Sockit.Framing;
using Sockit.Services;

namespace Sockit.Udp;

/// <summary>
/// <c>connect --udp</c>: each input message (a line, or a frame of any framing) goes as one datagram to the remote;
/// replies are handed over as they come; when the input ends it waits a while for late replies. Nothing is ever
/// "connected" on the wire: a unicast session only filters replies to the one server (and so hears its ICMP errors).
/// </summary>
/// <remarks>Not thread-safe: run one <see cref="RunAsync"/> at a time.</remarks>
public sealed class UdpClientSession : IDisposable
{
    private readonly UdpEndpoint _endpoint;
    private readonly IUdpObserver _observer;

    private UdpClientSession(UdpEndpoint endpoint, IPEndPoint remote, bool connected, IUdpObserver observer)
    {
        _endpoint = endpoint;
        Remote = remote;
        IsConnected = connected;
        _observer = observer;
    }

    /// <summary>The session's local address and port (chosen by the OS, or the group's port).</summary>
    public IPEndPoint LocalEndPoint => _endpoint.LocalEndPoint;

    /// <summary>Where datagrams go.</summary>
    public IPEndPoint Remote { get; }

    /// <summary>
    /// Whether replies can come only from <see cref="Remote"/> (a unicast session). False for broadcast and multicast,
    /// where many peers may answer, so each reply's sender matters.
    /// </summary>
    public bool IsConnected { get; }

    /// <summary>Opens the socket: bound to any free port, or, for a group, joined to it on its port.</summary>
    /// <param name="options">Where to and how.</param>
    /// <param name="observer">Told about ICMP errors, cut replies, traffic and the end of the input; nothing when null.</param>
    /// <exception cref="SocketException">The socket could not be bound or the group joined.</exception>
    /// <exception cref="IOException">The system refused to send to the remote (a broadcast address without <see cref="UdpClientOptions.EnableBroadcast"/>).</exception>
    public static UdpClientSession Open(UdpClientOptions options, IUdpObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        observer ??= NullUdpObserver.Instance;
        if (options.Group is { } group)
        {
            return new UdpClientSession(JoinGroup(options, group), options.Remote, connected: false, observer);
        }

        var remote = options.Remote;
        var endpoint = UdpEndpoint.Bind(new UdpEndpointOptions
        {
            LocalEndPoint = options.LocalEndPoint ?? new IPEndPoint(AnyOf(remote.AddressFamily), 0),
            MaxDatagramSize = options.MaxDatagramSize,
            SocketReceiveBufferSize = options.SocketReceiveBufferSize,
            EnableBroadcast = options.EnableBroadcast,
        });
        if (options.EnableBroadcast || UdpEndpoint.IsMulticast(remote.Address))
        {
            return new UdpClientSession(endpoint, remote, connected: false, observer);
        }

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

        return new UdpClientSession(endpoint, remote, connected: true, observer);
    }

    /// <summary>
    /// Sends every message of <paramref name="input"/> as one datagram each, passing replies to <paramref name="onReply"/>
    /// meanwhile; at the end of the input, waits <paramref name="wait"/> for late replies (UDP has no FIN to wait for).
    /// </summary>
    /// <param name="input">Where messages come from (stdin); read to its end.</param>
    /// <param name="spec"><c>line</c>: one message per line (a last line without <c>\n</c> counts); else the frames of that framing.</param>
    /// <param name="framing">The frame limit and bad-frame policy for framings other than <c>line</c>.</param>
    /// <param name="wait">How long to keep receiving after the input ends.</param>
    /// <param name="onReply">Called with each reply and its sender; the reply is valid only during the call.</param>
    /// <param name="cancellationToken">Stops at once (Ctrl-C): returns normally, without waiting for a blocked input read.</param>
    /// <exception cref="DatagramTooLargeException">A message was larger than the datagram limit.</exception>
    /// <exception cref="ConnectionException">
    /// <see cref="ConnectionErrorKind.Refused"/>: a unicast session (<see cref="IsConnected"/>) heard an ICMP port
    /// unreachable, on a receive or on the next send: nothing listens on <see cref="Remote"/>. The session stops at
    /// once, as <c>nc -u</c> does (its read fails with ECONNREFUSED); RFC 1122 4.1.3.3 has UDP pass such ICMP errors
    /// to the application, and this is the only "connection refused" UDP has. The observer hears it first.
    /// </exception>
    public async Task RunAsync(Stream input, FrameSpec spec, FramingOptions framing, TimeSpan wait, Action<UdpPeer, ReadOnlyMemory<byte>> onReply,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(onReply);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var receiving = ReceiveRepliesAsync(onReply, stop.Token);
        try
        {
            // A read from stdin cannot be cancelled, so cancellation stops waiting for it rather than the read itself.
            // The receive loop ends only by failing (an ICMP port unreachable): that ends the run while input is still
            // being read, and is thrown below.
            var sending = Task.Run(() => SendInputAsync(input, spec, framing, stop.Token), stop.Token).WaitAsync(cancellationToken);
            if (await Task.WhenAny(sending, receiving).ConfigureAwait(false) == sending)
            {
                await sending.ConfigureAwait(false);
                _observer.OnInputEnded(wait);
                await Task.WhenAny(receiving, Task.Delay(wait, stop.Token)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }

        try
        {
            await receiving.ConfigureAwait(false); // ends with the cancellation, or carries a receive failure out
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Closes the socket.</summary>
    public void Dispose() => _endpoint.Dispose();

    private static UdpEndpoint JoinGroup(UdpClientOptions options, IPAddress group)
    {
        // A group member binds the group's port on every address, shared with other members on this host.
        var member = UdpEndpoint.Bind(new UdpEndpointOptions
        {
            LocalEndPoint = new IPEndPoint(AnyOf(group.AddressFamily), options.Remote.Port),
            MaxDatagramSize = options.MaxDatagramSize,
            SocketReceiveBufferSize = options.SocketReceiveBufferSize,
            ReuseAddress = true,
        });
        try
        {
            member.JoinMulticastGroup(group, options.GroupInterfaceIndex);
            if (options.GroupInterfaceIndex > 0)
            {
                member.SetMulticastInterface(options.GroupInterfaceIndex);
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

    private static IPAddress AnyOf(AddressFamily family) => family == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any;

    private async Task SendInputAsync(Stream input, FrameSpec spec, FramingOptions framing, CancellationToken cancellationToken)
    {
        var remote = _endpoint.ToSocketAddress(Remote);
        var where = Remote.ToString();
        if (spec.Kind == FrameKind.Line)
        {
            await InputFrames.ReadAllAsync(input, spec, message => SendAsync(message, remote, where, cancellationToken), cancellationToken).ConfigureAwait(false);
            return;
        }

        var frames = FrameReader.Create(input, spec.CreateDecoder(framing), leaveOpen: true);
        try
        {
            while (await frames.ReadFrameAsync(cancellationToken).ConfigureAwait(false))
            {
                await SendAsync(frames.Current, remote, where, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await frames.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask SendAsync(ReadOnlySequence<byte> message, SocketAddress remote, string where, CancellationToken cancellationToken)
    {
        // One datagram needs one buffer; a message split across input reads is copied (input is not the hot path).
        var datagram = message.IsSingleSegment ? message.First : message.ToArray();
        _observer.OnDatagram(TrafficDirection.Out, where, datagram);
        if (await _endpoint.SendAsync(datagram, remote, cancellationToken).ConfigureAwait(false) == DatagramStatus.PortUnreachable)
        {
            throw PortUnreachable(); // news about an earlier datagram: nothing listens there, so this one would be lost too
        }
    }

    /// <summary>Tells the observer, and names the failure: only a connected (unicast) socket hears ICMP errors on Linux.</summary>
    private ConnectionException PortUnreachable()
    {
        _observer.OnPortUnreachable(Remote);
        return new ConnectionException(ConnectionErrorKind.Refused, Remote.ToString(),
            $"udp: nothing listens on {Remote}: an ICMP port unreachable came back (connection refused); the datagram was lost");
    }

    private async Task ReceiveRepliesAsync(Action<UdpPeer, ReadOnlyMemory<byte>> onReply, CancellationToken cancellationToken)
    {
        var buffer = new byte[_endpoint.ReceiveBufferSize];
        var sender = _endpoint.CreateSocketAddress();
        var repliers = new UdpPeerTable(); // a broadcast or a group can answer from many addresses
        while (true)
        {
            var result = await _endpoint.ReceiveAsync(buffer, sender, cancellationToken).ConfigureAwait(false);
            if (result.Status == DatagramStatus.PortUnreachable)
            {
                throw PortUnreachable();
            }

            var peer = repliers.Observe(sender, result.Length, out _);
            if (result.Status == DatagramStatus.Truncated)
            {
                _observer.OnTruncated(peer, _endpoint.MaxDatagramSize);
            }

            var reply = buffer.AsMemory(0, result.Length);
            _observer.OnDatagram(TrafficDirection.In, peer.Name, reply);
            onReply(peer, reply);
        }
    }
}
