using Sockit.Diagnostics;

namespace Sockit.Udp;

/// <summary>
/// A UDP server: one receive loop over one unconnected <see cref="UdpEndpoint"/> serving every peer. It keeps the
/// <see cref="UdpPeerTable"/> (and sweeps idle peers out), tells its <see cref="IUdpObserver"/> about new peers,
/// cut datagrams and ICMP errors, and hands each datagram to an <see cref="IUdpDatagramHandler"/>.
/// </summary>
/// <remarks>
/// No allocation per datagram from a known peer. Thread-safety: <see cref="RunAsync"/> runs once at a time;
/// <see cref="SendAsync"/>, <see cref="LastPeer"/> and <see cref="SnapshotPeers"/> may be called from any thread
/// while it runs (one send at a time, as for <see cref="UdpEndpoint"/>).
/// </remarks>
public sealed class UdpServer
{
    private readonly Lock _gate = new();
    private readonly UdpEndpoint _endpoint;
    private readonly IUdpObserver _observer;
    private readonly UdpPeerTable _peers;
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;

    /// <summary>Creates a server on a bound <paramref name="endpoint"/>, which the caller keeps and disposes.</summary>
    /// <param name="endpoint">The socket to serve on.</param>
    /// <param name="options">Peer limits; <see cref="UdpServerOptions"/>' defaults when null.</param>
    /// <param name="observer">Told about peers, cut datagrams, ICMP errors and traffic; nothing when null.</param>
    public UdpServer(UdpEndpoint endpoint, UdpServerOptions? options = null, IUdpObserver? observer = null)
    {
        _endpoint = endpoint ?? throw new ArgumentNullException(nameof(endpoint));
        options ??= new UdpServerOptions();
        _peers = new UdpPeerTable(options.MaxPeers, options.IdleTimeout, options.TimeProvider);
        _observer = observer ?? NullUdpObserver.Instance;
    }

    /// <summary>The socket served on.</summary>
    public UdpEndpoint Endpoint => _endpoint;

    /// <summary>The peer that sent the latest datagram; null before the first.</summary>
    public UdpPeer? LastPeer { get; private set; }

    /// <summary>A copy of the peers remembered now.</summary>
    public UdpPeer[] SnapshotPeers()
    {
        lock (_gate)
        {
            return [.. _peers.Peers];
        }
    }

    /// <summary>What the peers no longer remembered (evicted or expired) had sent.</summary>
    public UdpPeerTotals SnapshotForgotten()
    {
        lock (_gate)
        {
            return _peers.Forgotten;
        }
    }

    /// <summary>Sends one datagram to <paramref name="peer"/>.</summary>
    /// <exception cref="DatagramTooLargeException">The datagram is larger than the endpoint's limit; nothing was sent.</exception>
    public async ValueTask SendAsync(UdpPeer peer, ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peer);
        _observer.OnDatagram(TrafficDirection.Out, peer.Name, datagram);
        await _endpoint.SendAsync(datagram, peer.Address, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Serves until <paramref name="cancellationToken"/> is cancelled, then returns normally.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">The socket failed (other than an ICMP error).</exception>
    public async Task RunAsync(IUdpDatagramHandler handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        try
        {
            await ReceiveLoopAsync(handler, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task ReceiveLoopAsync(IUdpDatagramHandler handler, CancellationToken cancellationToken)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(_endpoint.ReceiveBufferSize, pinned: true);
        var sender = _endpoint.CreateSocketAddress();
        while (true)
        {
            var result = await _endpoint.ReceiveAsync(buffer, sender, cancellationToken).ConfigureAwait(false);
            if (result.Status == DatagramStatus.PortUnreachable)
            {
                _observer.OnPortUnreachable(null);
                continue;
            }

            UdpPeer peer;
            lock (_gate)
            {
                peer = _peers.Observe(sender, result.Length, out var added);
                LastPeer = peer;
                if (added)
                {
                    _observer.OnPeerAdded(peer, _peers.Count);
                }

                Sweep(peer.LastSeen);
            }

            if (result.Status == DatagramStatus.Truncated)
            {
                _observer.OnTruncated(peer, _endpoint.MaxDatagramSize);
            }

            var datagram = buffer.AsMemory(0, result.Length);
            _observer.OnDatagram(TrafficDirection.In, peer.Name, datagram);
            await handler.HandleAsync(this, peer, datagram, cancellationToken).ConfigureAwait(false);
        }
    }

    // Called under the gate; at most one sweep per half idle timeout, so a busy server does not scan per datagram.
    private void Sweep(DateTimeOffset now)
    {
        if (_peers.IdleTimeout == Timeout.InfiniteTimeSpan || now < _nextSweep)
        {
            return;
        }

        _nextSweep = now + _peers.IdleTimeout / 2;
        var forgotten = _peers.ExpireIdle();
        if (forgotten > 0)
        {
            _observer.OnPeersExpired(forgotten, _peers.IdleTimeout);
        }
    }
}
