namespace Sockit.Files;

/// <summary>What became of one entry of a transfer, as the side reporting it saw it.</summary>
/// <param name="Name">The entry's relative name as it is (<c>/</c>-separated; from a receiver, as the sender sent it:
/// it may hold control characters). Pass it through <see cref="ReceivedName.Printable"/> before showing it on a terminal.</param>
/// <param name="Kind">A file or a directory.</param>
/// <param name="Status">Verified, refused before any content was stored, failed, or skipped by the sender.</param>
/// <param name="Reason">Why, when not verified (one line); empty when verified.</param>
/// <param name="Bytes">Content bytes carried for it on this connection (after a resume offset).</param>
/// <param name="ResumedAt">The offset the content was resumed from (0 when sent whole).</param>
public sealed record FileOutcome(string Name, FileEntryKind Kind, FileOutcomeStatus Status, string Reason, long Bytes, long ResumedAt = 0)
{
    /// <summary>True when the entry is stored under its final name and verified.</summary>
    public bool IsVerified => Status == FileOutcomeStatus.Verified;
}
