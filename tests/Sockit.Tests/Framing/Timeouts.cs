namespace Sockit.Tests.Framing;

/// <summary>Bounds for every wait in the framing tests: generous for a loaded 2-core machine, never infinite.</summary>
internal static class Timeouts
{
    public static readonly TimeSpan Short = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan Process = TimeSpan.FromSeconds(60);
}
