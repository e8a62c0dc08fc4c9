namespace Sockit.Files;

/// <summary>The end of one entry of a transfer.</summary>
public enum FileOutcomeStatus
{
    /// <summary>Stored under its final name after its SHA-256 matched (a directory: created, mode and mtime set).</summary>
    Verified,

    /// <summary>Refused by the receiver before anything was stored (unsafe name, exists, busy).</summary>
    Refused,

    /// <summary>Failed after the content started (hash mismatch, write error, connection lost): nothing stored under its name.</summary>
    Failed,

    /// <summary>Not sent: the sender does not send symbolic links or special files found in a tree.</summary>
    Skipped,
}
