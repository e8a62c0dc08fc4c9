using Sockit.Connections;

namespace Sockit.Files;

/// <summary>
/// Whether this side's server ended a connection (its idle or frame timeout, the memory budget, a limit): the
/// handler's read then sees only the stream end, as at the peer's FIN, and must not take it for one.
/// </summary>
internal static class ServerCut
{
    /// <summary>The close reason's message when the server cut <paramref name="connection"/>, else null.</summary>
    public static string? Why(Connection connection) => connection.CloseReason is
    {
        Kind: CloseReasonKind.IdleTimeout or CloseReasonKind.FrameTimeout or CloseReasonKind.SlowConsumer or CloseReasonKind.LimitReached,
    } cut ? cut.Message : null;
}
