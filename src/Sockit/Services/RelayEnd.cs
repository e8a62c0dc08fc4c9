namespace Sockit.Services;

/// <summary>How one direction of a forwarded connection ended.</summary>
internal enum RelayEnd
{
    /// <summary>The source sent FIN; it was relayed after the data.</summary>
    Fin,

    /// <summary>The source was reset or failed; the destination was reset too.</summary>
    Reset,

    /// <summary>The destination stopped taking data (reset, gone); the source was reset so it knows.</summary>
    Undelivered,

    /// <summary>The server is stopping; FIN was sent on.</summary>
    Stopped,
}
