namespace Sockit.Connections;

/// <summary>The public record of why a connection closed.</summary>
/// <param name="Kind">The category.</param>
/// <param name="Message">One line a person can act on.</param>
/// <param name="Exception">The exception behind it, when there was one.</param>
public sealed record CloseReason(CloseReasonKind Kind, string Message, Exception? Exception = null)
{
    /// <inheritdoc />
    public override string ToString() => Message;
}
