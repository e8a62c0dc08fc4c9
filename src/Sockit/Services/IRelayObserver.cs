using System.Buffers;

namespace Sockit.Services;

/// <summary>
/// Watches the bytes one forwarded connection relays, in order, per direction (for <c>--hex</c> and the frame
/// inspector). Created per forwarded connection by <see cref="ForwardOptions.Observe"/>. Called on the relay loops:
/// calls for one direction never overlap, the two directions may run at the same time. Keep it quick and never keep
/// the buffer. An observer that throws is dropped for the rest of that connection (logged once); the traffic goes on.
/// </summary>
public interface IRelayObserver
{
    /// <summary>
    /// <paramref name="data"/> is being relayed <paramref name="direction"/>; <paramref name="offset"/> is the byte
    /// offset of its first byte in that direction's stream (starting at 0).
    /// </summary>
    void OnData(RelayDirection direction, long offset, in ReadOnlySequence<byte> data);

    /// <summary>
    /// <paramref name="direction"/> ended: with the source's end of stream (FIN) when <paramref name="clean"/>, or
    /// with a reset or failure. Called once per direction at most.
    /// </summary>
    void OnEnd(RelayDirection direction, bool clean);
}
