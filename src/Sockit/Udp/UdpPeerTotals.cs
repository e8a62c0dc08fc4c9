namespace Sockit.Udp;

/// <summary>What a group of peers sent, added up: for the peers a <see cref="UdpPeerTable"/> has forgotten.</summary>
/// <param name="Peers">How many peers.</param>
/// <param name="Datagrams">Datagrams received from them.</param>
/// <param name="Bytes">Bytes received from them.</param>
/// <param name="Gaps">Sequence numbers they skipped (see <see cref="UdpPeer.Gaps"/>).</param>
public sealed record UdpPeerTotals(long Peers, long Datagrams, long Bytes, long Gaps);
