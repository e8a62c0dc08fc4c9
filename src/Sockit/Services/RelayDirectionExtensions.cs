namespace Sockit.Services;

/// <summary>How a <see cref="RelayDirection"/> reads in logs, dumps and the inspector.</summary>
public static class RelayDirectionExtensions
{
    /// <summary><c>client>target</c> or <c>target>client</c>.</summary>
    public static string ToLabel(this RelayDirection direction) =>
        direction == RelayDirection.ClientToTarget ? "client>target" : "target>client";
}
