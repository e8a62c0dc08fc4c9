namespace Sockit.Services;

/// <summary>Which way bytes go through a <see cref="ForwardService"/>.</summary>
public enum RelayDirection
{
    /// <summary>From the accepted client to the target (shown as <c>client>target</c>).</summary>
    ClientToTarget,

    /// <summary>From the target back to the client (shown as <c>target>client</c>).</summary>
    TargetToClient,
}
