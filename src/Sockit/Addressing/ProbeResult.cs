using System.Net;
using System.Net.Sockets;

namespace Sockit.Addressing;

/// <summary>One TCP connect attempt.</summary>
/// <param name="EndPoint">Where it connected to.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Elapsed">From starting the connect to its end (the handshake round trip when open).</param>
/// <param name="Error">The socket error when not <see cref="ProbeOutcome.Open"/>, else <see cref="SocketError.Success"/>.</param>
public sealed record ProbeResult(IPEndPoint EndPoint, ProbeOutcome Outcome, TimeSpan Elapsed, SocketError Error);
