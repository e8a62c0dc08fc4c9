namespace Sockit.Files;

/// <summary>The totals of one transfer (one connection), for the summary line and <c>--json</c>.</summary>
/// <param name="Verified">Entries stored and verified (files and directories).</param>
/// <param name="Failed">Entries refused or failed.</param>
/// <param name="Skipped">Entries the sender did not send (symbolic links, special files).</param>
/// <param name="Bytes">Content bytes carried, in bytes.</param>
/// <param name="Elapsed">From the connection to the last answer.</param>
/// <param name="Error">
/// Why the transfer stopped early (a protocol error, a reset, the server's idle or frame timeout), or null when it ran
/// to its end. On the receiving side, an entry under way is named first (<c>NAME: why</c>), with
/// <c>; partial file kept for --resume</c> when its partial file was kept.
/// </param>
public sealed record TransferSummary(long Verified, long Failed, long Skipped, long Bytes, TimeSpan Elapsed, string? Error)
{
    /// <summary>True when every entry was verified and the transfer ran to its end.</summary>
    public bool Succeeded => Failed == 0 && Error is null;

    /// <summary>Bytes per second over <see cref="Elapsed"/>.</summary>
    public double BytesPerSecond => Bytes / Math.Max(Elapsed.TotalSeconds, 1e-9);
}
