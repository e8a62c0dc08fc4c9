using System.Net;

namespace Sockit.Udp;

/// <summary>
/// The peers a UDP server has heard from: bounded in size, each forgotten after it has been quiet for the idle
/// timeout. Pure bookkeeping (no socket; the clock is a <see cref="TimeProvider"/>), and a lookup by the
/// address a receive just filled in allocates nothing.
/// </summary>
/// <remarks>Not thread-safe: owned by one receive loop, or guarded by the caller.</remarks>
public sealed class UdpPeerTable
{
    /// <summary>4,096: the default <see cref="Capacity"/>.</summary>
    public const int DefaultCapacity = 4096;

    // SocketAddress compares and hashes by content, so the receive loop's one mutable address finds its peer.
    private readonly Dictionary<SocketAddress, UdpPeer> _peers = [];
    private readonly TimeProvider _timeProvider;
    private long _forgottenDatagrams;
    private long _forgottenBytes;
    private long _forgottenGaps;

    /// <summary>Creates an empty table.</summary>
    /// <param name="capacity">The most peers remembered (default 4,096); when full, the one quiet longest is forgotten.</param>
    /// <param name="idleTimeout">How long a quiet peer is remembered; <see cref="Timeout.InfiniteTimeSpan"/> (the default) for ever.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public UdpPeerTable(int capacity = DefaultCapacity, TimeSpan? idleTimeout = null, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var idle = idleTimeout ?? Timeout.InfiniteTimeSpan;
        if (idle <= TimeSpan.Zero && idle != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(idleTimeout), idle, "the idle timeout must be positive, or infinite");
        }

        Capacity = capacity;
        IdleTimeout = idle;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The most peers remembered.</summary>
    public int Capacity { get; }

    /// <summary>How long a quiet peer is remembered (<see cref="Timeout.InfiniteTimeSpan"/>: for ever).</summary>
    public TimeSpan IdleTimeout { get; }

    /// <summary>Peers remembered now.</summary>
    public int Count => _peers.Count;

    /// <summary>Peers forgotten because the table was full.</summary>
    public long Evicted { get; private set; }

    /// <summary>Peers forgotten because they were quiet for the idle timeout.</summary>
    public long Expired { get; private set; }

    /// <summary>
    /// What the peers forgotten so far (evicted or expired) had sent, so that totals still count them. A peer that
    /// comes back after being forgotten starts afresh and is counted again.
    /// </summary>
    public UdpPeerTotals Forgotten => new(Evicted + Expired, _forgottenDatagrams, _forgottenBytes, _forgottenGaps);

    /// <summary>The peers remembered now, in no particular order.</summary>
    public IReadOnlyCollection<UdpPeer> Peers => _peers.Values;

    /// <summary>Records a datagram of <paramref name="bytes"/> from <paramref name="sender"/>.</summary>
    /// <param name="sender">The address a receive filled in; copied only when the peer is new.</param>
    /// <param name="bytes">The payload length.</param>
    /// <param name="added">True when this is a peer the table did not remember.</param>
    public UdpPeer Observe(SocketAddress sender, int bytes, out bool added)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var now = _timeProvider.GetUtcNow();
        added = !_peers.TryGetValue(sender, out var peer);
        if (peer is null)
        {
            MakeRoom(now);
            peer = new UdpPeer(Copy(sender), now);
            _peers.Add(peer.Address, peer);
        }

        peer.Record(bytes, now);
        return peer;
    }

    /// <summary>Finds a remembered peer by address without recording anything.</summary>
    public bool TryGet(SocketAddress address, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out UdpPeer? peer) =>
        _peers.TryGetValue(address, out peer);

    /// <summary>Forgets every peer quiet for at least the idle timeout; returns how many.</summary>
    public int ExpireIdle() => ExpireIdle(_timeProvider.GetUtcNow());

    private int ExpireIdle(DateTimeOffset now)
    {
        if (IdleTimeout == Timeout.InfiniteTimeSpan)
        {
            return 0;
        }

        var removed = 0;
        foreach (var (address, peer) in _peers)
        {
            if (now - peer.LastSeen >= IdleTimeout && _peers.Remove(address))
            {
                Remember(peer);
                removed++;
            }
        }

        Expired += removed;
        return removed;
    }

    // A new peer when the table is full: first forget the idle, then the one quiet longest. The scan is linear,
    // but runs only for a new peer arriving at a full table.
    private void MakeRoom(DateTimeOffset now)
    {
        if (_peers.Count < Capacity || ExpireIdle(now) > 0)
        {
            return;
        }

        UdpPeer? oldest = null;
        foreach (var peer in _peers.Values)
        {
            if (oldest is null || peer.LastSeen < oldest.LastSeen)
            {
                oldest = peer;
            }
        }

        _peers.Remove(oldest!.Address);
        Remember(oldest);
        Evicted++;
    }

    private void Remember(UdpPeer forgotten)
    {
        _forgottenDatagrams += forgotten.Datagrams;
        _forgottenBytes += forgotten.Bytes;
        _forgottenGaps += forgotten.Gaps;
    }

    private static SocketAddress Copy(SocketAddress address)
    {
        var copy = new SocketAddress(address.Family, address.Size);
        address.Buffer.Span[..address.Size].CopyTo(copy.Buffer.Span);
        return copy;
    }
}
