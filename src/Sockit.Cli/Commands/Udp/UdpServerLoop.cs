using Sockit.Udp;

namespace Sockit.Cli.Commands.Udp;

/// <summary>
/// The one receive loop of <c>listen --udp</c>: every datagram from every peer, the peer table kept, cut and
/// ICMP-reported datagrams said out loud, then the mode's handler. No allocation per datagram from known peers.
/// </summary>
internal sealed class UdpServerLoop(UdpEndpoint endpoint, UdpListenSettings settings, UdpNotes notes)
{
    private readonly Lock _gate = new();
    private readonly UdpHexLog _hex = new(settings.Messages.Hex);
    private readonly UdpPeerTable _peers = new(settings.MaxPeers, settings.IdleTimeout);
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;

    /// <summary>The peer that sent the latest datagram; null before the first.</summary>
    public UdpPeer? LastPeer { get; private set; }

    /// <summary>A copy of the peers remembered now (taken under the loop's lock).</summary>
    public UdpPeer[] SnapshotPeers()
    {
        lock (_gate)
        {
            return [.. _peers.Peers];
        }
    }

    /// <summary>Sends one datagram to <paramref name="peer"/> (dumped to stderr with <c>--hex</c>).</summary>
    public async ValueTask SendAsync(UdpPeer peer, ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken)
    {
        _hex.Out(peer.Name, datagram);
        await endpoint.SendAsync(datagram, peer.Address, cancellationToken);
    }

    /// <summary>Serves until <paramref name="cancellationToken"/> is cancelled (Ctrl-C), then returns.</summary>
    public async Task ServeAsync(Func<UdpPeer, ReadOnlyMemory<byte>, CancellationToken, ValueTask> handle, CancellationToken cancellationToken)
    {
        try
        {
            await RunAsync(handle, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunAsync(Func<UdpPeer, ReadOnlyMemory<byte>, CancellationToken, ValueTask> handle, CancellationToken cancellationToken)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(endpoint.ReceiveBufferSize, pinned: true);
        var sender = endpoint.CreateSocketAddress();
        while (true)
        {
            var result = await endpoint.ReceiveAsync(buffer, sender, cancellationToken);
            if (result.Status == DatagramStatus.PortUnreachable)
            {
                notes.PortUnreachable("a peer we sent to");
                continue;
            }

            UdpPeer peer;
            lock (_gate)
            {
                peer = _peers.Observe(sender, result.Length, out var added);
                LastPeer = peer;
                if (added)
                {
                    notes.NewPeer(peer, _peers.Count);
                }

                Sweep(peer.LastSeen);
            }

            if (result.Status == DatagramStatus.Truncated)
            {
                UdpNotes.Truncated(peer.Name, endpoint.MaxDatagramSize);
            }

            var datagram = buffer.AsMemory(0, result.Length);
            _hex.In(peer.Name, datagram);
            await handle(peer, datagram, cancellationToken);
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        if (settings.IdleTimeout == Timeout.InfiniteTimeSpan || now < _nextSweep)
        {
            return;
        }

        _nextSweep = now + settings.IdleTimeout / 2;
        var forgotten = _peers.ExpireIdle();
        if (forgotten > 0)
        {
            notes.Say($"udp: forgot {forgotten} peer(s) quiet for {settings.IdleTimeout.TotalSeconds:0.###} s (UDP has no FIN: silence is all a server learns)");
        }
    }
}
