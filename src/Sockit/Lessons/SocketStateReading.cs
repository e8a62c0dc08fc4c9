namespace Sockit.Lessons;

/// <summary>One socket's TCP state as the kernel reported it at a step of a lesson.</summary>
/// <param name="Socket">Which socket: <c>listener</c>, <c>client</c> or <c>server</c> (the accepted one).</param>
/// <param name="State">The kernel's name for the state (<c>LISTEN</c>, <c>ESTABLISHED</c>, <c>FIN_WAIT_1</c>…; <c>CLOSED</c> when it has none).</param>
public sealed record SocketStateReading(string Socket, string State);
