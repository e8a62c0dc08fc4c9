using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Sockit.Diagnostics;

namespace Sockit.Udp;

/// <summary>
/// One unconnected UDP socket that receives datagrams from any peer, with the sender's address, and sends
/// datagrams to any peer: the whole of a UDP server, however many peers it serves. IPv4 and IPv6; bound
/// dual-stack (<c>[::]</c>) by default.
/// </summary>
/// <remarks>
/// <para>No allocation per datagram: the caller owns the payload buffer and one <see cref="SocketAddress"/> that
/// every receive overwrites in place; a reply is sent straight back to that address.</para>
/// <para>Thread-safety: one receive and one send may run at the same time (a receive loop and a send loop);
/// two concurrent receives, or two concurrent sends, are not supported. The option setters are not thread-safe.</para>
/// </remarks>
public sealed partial class UdpEndpoint : IDisposable
{
    // Templates for turning a SocketAddress back into an IPEndPoint.
    private static readonly IPEndPoint IPv4Template = new(IPAddress.Any, 0);
    private static readonly IPEndPoint IPv6Template = new(IPAddress.IPv6Any, 0);

    private readonly Socket _socket;

    private readonly SockitMetrics _metrics;

    private UdpEndpoint(Socket socket, int maxDatagramSize, SockitMetrics metrics)
    {
        _socket = socket;
        _metrics = metrics;
        MaxDatagramSize = maxDatagramSize;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <summary>
    /// The bound address and port (the real port when 0 was asked); after <see cref="Connect"/>, the local address the
    /// route to the peer chose in place of a wildcard.
    /// </summary>
    public IPEndPoint LocalEndPoint { get; private set; }

    /// <summary>The largest datagram accepted, from <see cref="UdpEndpointOptions.MaxDatagramSize"/>.</summary>
    public int MaxDatagramSize { get; }

    /// <summary>
    /// The buffer length <see cref="ReceiveAsync"/> needs: <see cref="MaxDatagramSize"/> + 1, the one spare byte
    /// being how a datagram that did not fit is told from one that fitted exactly.
    /// </summary>
    public int ReceiveBufferSize => MaxDatagramSize + 1;

    /// <summary>Whether this IPv6 socket also carries IPv4 (as <c>::ffff:a.b.c.d</c> addresses).</summary>
    public bool IsDualMode => _socket.AddressFamily == AddressFamily.InterNetworkV6 && _socket.DualMode;

    /// <summary>The only peer this endpoint talks to after <see cref="Connect"/>; <see langword="null"/> when unconnected.</summary>
    public IPEndPoint? ConnectedPeer { get; private set; }

    /// <summary>Creates and binds the socket.</summary>
    /// <param name="options">Where to bind and the limits; <see cref="UdpEndpointOptions.Default"/> when null.</param>
    /// <exception cref="SocketException">The address is in use, not local, or not allowed.</exception>
    public static UdpEndpoint Bind(UdpEndpointOptions? options = null)
    {
        options ??= UdpEndpointOptions.Default;
        var local = options.LocalEndPoint;
        var socket = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (local.AddressFamily == AddressFamily.InterNetworkV6 && local.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            if (options.ReuseAddress)
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            }

            if (options.SocketReceiveBufferSize is { } size)
            {
                socket.ReceiveBufferSize = size;
            }

            socket.EnableBroadcast = options.EnableBroadcast;
            socket.Bind(local);
            return new UdpEndpoint(socket, options.MaxDatagramSize, SockitMetrics.For(options.MeterFactory));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A fresh address for <see cref="ReceiveAsync"/> to fill in; reuse it for every receive.</summary>
    public SocketAddress CreateSocketAddress() => new(_socket.AddressFamily);

    /// <summary>
    /// <paramref name="remote"/> in the form this socket sends to (an IPv4 address becomes <c>::ffff:a.b.c.d</c>
    /// on a dual-stack socket). Convert once, send many times.
    /// </summary>
    public SocketAddress ToSocketAddress(IPEndPoint remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (_socket.AddressFamily == AddressFamily.InterNetworkV6 && remote.AddressFamily == AddressFamily.InterNetwork)
        {
            remote = new IPEndPoint(remote.Address.MapToIPv6(), remote.Port);
        }

        return remote.Serialize();
    }

    /// <summary>
    /// The endpoint a <see cref="SocketAddress"/> names, as people write it: <c>::ffff:127.0.0.1</c> is shown as
    /// <c>127.0.0.1</c>. Allocates: call it once per peer, not once per datagram.
    /// </summary>
    public static IPEndPoint ToIPEndPoint(SocketAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var template = address.Family == AddressFamily.InterNetworkV6 ? IPv6Template : IPv4Template;
        var endPoint = (IPEndPoint)template.Create(address);
        return endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;
    }

    /// <summary>
    /// Fixes the one peer this endpoint talks to: the kernel then drops datagrams from anyone else and, on Linux,
    /// only then reports an ICMP port-unreachable (as <see cref="DatagramStatus.PortUnreachable"/>). Still no
    /// handshake: nothing is sent.
    /// </summary>
    public void Connect(IPEndPoint remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        _socket.Connect(remote);
        ConnectedPeer = remote;
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    /// <summary>Waits for the next datagram from any peer.</summary>
    /// <param name="buffer">At least <see cref="ReceiveBufferSize"/> bytes; the payload is copied to its start.</param>
    /// <param name="sender">Overwritten with the sender's address (from <see cref="CreateSocketAddress"/>).</param>
    /// <param name="cancellationToken">Cancels the wait; throws <see cref="OperationCanceledException"/>, no datagram is lost.</param>
    /// <returns>The status and length; an ICMP error from an earlier send is a status, not an exception.</returns>
    /// <exception cref="SocketException">A failure other than an ICMP port-unreachable.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<DatagramResult> ReceiveAsync(Memory<byte> buffer, SocketAddress sender, CancellationToken cancellationToken = default)
    {
        if (buffer.Length < ReceiveBufferSize)
        {
            throw new ArgumentException($"the receive buffer holds {buffer.Length} bytes; it needs {ReceiveBufferSize} (the maximum datagram size + 1)", nameof(buffer));
        }

        int received;
        try
        {
            // Linux cuts an oversize datagram silently here (no MSG_TRUNC reaches this API), so the buffer is one
            // byte larger than the limit: a datagram that fills it did not fit.
            received = await _socket.ReceiveFromAsync(buffer[..ReceiveBufferSize], SocketFlags.None, sender, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex) when (IsPortUnreachable(ex.SocketErrorCode))
        {
            return new DatagramResult(DatagramStatus.PortUnreachable, 0);
        }

        var truncated = received > MaxDatagramSize;
        var length = truncated ? MaxDatagramSize : received;
        _metrics.DatagramsReceived.Add(1);
        _metrics.BytesReceived.Add(length);
        if (truncated)
        {
            _metrics.DatagramsTruncated.Add(1);
            return new DatagramResult(DatagramStatus.Truncated, length);
        }

        return new DatagramResult(DatagramStatus.Ok, length);
    }

    /// <summary>Sends one datagram to <paramref name="remote"/>. UDP promises nothing: it may be lost, duplicated or reordered.</summary>
    /// <param name="datagram">The payload, at most <see cref="MaxDatagramSize"/> bytes; sent as one datagram.</param>
    /// <param name="remote">Where to (from <see cref="ToSocketAddress"/>, or a sender filled in by <see cref="ReceiveAsync"/>).</param>
    /// <param name="cancellationToken">Cancels a send that waits for kernel buffer space.</param>
    /// <returns>
    /// <see cref="DatagramStatus.Ok"/>, or <see cref="DatagramStatus.PortUnreachable"/> when the kernel reported an
    /// ICMP error for an earlier datagram instead of sending this one (send it again to retry).
    /// </returns>
    /// <exception cref="DatagramTooLargeException">The payload is larger than <see cref="MaxDatagramSize"/>; nothing was sent.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<DatagramStatus> SendAsync(ReadOnlyMemory<byte> datagram, SocketAddress remote, CancellationToken cancellationToken = default)
    {
        if (datagram.Length > MaxDatagramSize)
        {
            throw new DatagramTooLargeException(datagram.Length, MaxDatagramSize);
        }

        try
        {
            await _socket.SendToAsync(datagram, SocketFlags.None, remote, cancellationToken).ConfigureAwait(false);
            _metrics.DatagramsSent.Add(1);
            _metrics.BytesSent.Add(datagram.Length);
            return DatagramStatus.Ok;
        }
        catch (SocketException ex) when (IsPortUnreachable(ex.SocketErrorCode))
        {
            return DatagramStatus.PortUnreachable;
        }
    }

    /// <summary>Closes the socket; a pending receive ends with an <see cref="ObjectDisposedException"/> or <see cref="SocketException"/>.</summary>
    public void Dispose() => _socket.Dispose();

    // Windows reports ICMP port-unreachable on an unconnected socket as WSAECONNRESET; Linux, only on a connected
    // one, as ECONNREFUSED.
    private static bool IsPortUnreachable(SocketError error) =>
        error is SocketError.ConnectionReset or SocketError.ConnectionRefused;
}
