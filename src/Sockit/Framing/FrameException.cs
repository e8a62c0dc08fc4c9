namespace Sockit.Framing;

/// <summary>Thrown by <see cref="FrameReader"/> at the edge when the stream breaks a framing rule.</summary>
public sealed class FrameException : Exception
{
    /// <summary>Creates the exception for <paramref name="error"/>.</summary>
    public FrameException(FrameError error)
        : base(error?.Message) => Error = error ?? throw new ArgumentNullException(nameof(error));

    /// <summary>The rule broken and the offending value.</summary>
    public FrameError Error { get; }
}
