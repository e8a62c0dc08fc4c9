using System.Buffers;
using Sockit.Connections;

namespace Sockit.Diagnostics;

/// <summary>
/// Sees every byte a connection receives and sends, in order, with its stream offset (for hex dumps and
/// captures). Called on the connection's receive or send loop: keep it quick and never keep the buffer.
/// Calls for one direction never overlap; the two directions may run at the same time.
/// </summary>
public interface ITrafficObserver
{
    /// <summary>
    /// <paramref name="data"/> went <paramref name="direction"/> on <paramref name="connection"/> (its
    /// <c>ToString()</c> names the peer); <paramref name="offset"/> is the byte offset of its first byte in that
    /// direction's stream. On a <see cref="TlsConnection"/> the bytes are the plaintext.
    /// </summary>
    void OnTraffic(Connection connection, TrafficDirection direction, long offset, in ReadOnlySequence<byte> data);
}
