using System.Buffers;
using System.Net;

namespace Sockit.Diagnostics;

/// <summary>
/// Sees every byte a connection receives and sends, in order, with its stream offset (for hex dumps and
/// captures). Called on the connection's receive or send loop: keep it quick and never keep the buffer.
/// Calls for one direction never overlap; the two directions may run at the same time.
/// </summary>
public interface ITrafficObserver
{
    /// <summary>
    /// <paramref name="data"/> went <paramref name="direction"/> on the connection with <paramref name="remote"/>;
    /// <paramref name="offset"/> is the byte offset of its first byte in that direction's stream.
    /// </summary>
    void OnTraffic(EndPoint remote, TrafficDirection direction, long offset, in ReadOnlySequence<byte> data);
}
