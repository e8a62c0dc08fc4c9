namespace Sockit.Addressing;

/// <summary>Settings for <see cref="PortScanner"/>.</summary>
public sealed record PortScanOptions
{
    /// <summary>How long each connect may take before the port counts as timed out. Default 1 second.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many connects may be in flight at once. Default 100; at least 1.</summary>
    public int Concurrency { get; init; } = 100;
}
