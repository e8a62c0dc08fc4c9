using Sockit.Framing;

namespace Sockit.Lessons;

/// <summary>What one framing made of the same messages in <see cref="StickyPackets"/>.</summary>
/// <param name="Spec">The framing used on the wire.</param>
/// <param name="MessagesSent">Messages sent, each with its own send call.</param>
/// <param name="Reads">Receive calls that returned data.</param>
/// <param name="ReadSizes">Bytes returned by each receive call.</param>
/// <param name="FirstReads">The first few reads' bytes, to show gluing and cutting.</param>
/// <param name="MessagesIntact">Messages the receiver recovered exactly (for raw: reads that held exactly one whole message).</param>
public sealed record StickyPacketRun(
    FrameSpec Spec,
    int MessagesSent,
    int Reads,
    IReadOnlyList<int> ReadSizes,
    IReadOnlyList<byte[]> FirstReads,
    int MessagesIntact);
