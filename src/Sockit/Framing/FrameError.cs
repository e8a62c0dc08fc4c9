namespace Sockit.Framing;

/// <summary>Why decoding stopped: the rule broken, the offending value and a sentence a person can act on.</summary>
/// <param name="Kind">The rule broken.</param>
/// <param name="Value">The offending value: the announced or observed frame length, or the bytes left over.</param>
/// <param name="Message">One line naming the rule, the value and the limit.</param>
public sealed record FrameError(FrameErrorKind Kind, ulong Value, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Message;
}
