using System.Collections.Concurrent;
using System.Net;
using Sockit.Diagnostics;
using Sockit.Udp;

namespace Sockit.Tests.Udp;

/// <summary>Writes down what a UDP server or client session reports, and lets a test await a report.</summary>
internal sealed class RecordingUdpObserver : IUdpObserver
{
    public ConcurrentQueue<string> Events { get; } = new();

    public TaskCompletionSource<(string Peer, int Limit)> Truncated { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<IPEndPoint?> PortUnreachable { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void OnPeerAdded(UdpPeer peer, int peers) => Events.Enqueue($"added {peer.Name} ({peers})");

    public void OnPeersExpired(int count, TimeSpan idleTimeout) => Events.Enqueue($"expired {count}");

    public void OnPortUnreachable(IPEndPoint? remote) => PortUnreachable.TrySetResult(remote);

    public void OnTruncated(UdpPeer peer, int limit) => Truncated.TrySetResult((peer.Name, limit));

    public void OnDatagram(TrafficDirection direction, string peer, ReadOnlyMemory<byte> datagram) =>
        Events.Enqueue($"{direction} {peer} {datagram.Length}");

    /// <summary>Called after "input ended" is recorded.</summary>
    public Action? AfterInputEnded { get; init; }

    public void OnInputEnded(TimeSpan wait)
    {
        Events.Enqueue("input ended");
        AfterInputEnded?.Invoke();
    }
}
