namespace Sockit.Files;

/// <summary>Settings of a <see cref="FileSender"/>.</summary>
public sealed record FileSenderOptions
{
    /// <summary>
    /// Ask the receiver what it already holds of each file and continue from there when the SHA-256 of that prefix
    /// matches (default false). Costs one round trip per file.
    /// </summary>
    public bool Resume { get; init; }

    /// <summary>How long the receiver has to send its greeting (default 10 s); a peer that says nothing is not a receiver.</summary>
    public TimeSpan GreetingTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Entries sent before their answers came back, at most (default 4096): bounds memory on a slow receiver.</summary>
    public int MaxUnanswered { get; init; } = 4096;

    /// <summary>Called once per entry with its outcome (skipped ones included); from the sender's tasks, one at a time.</summary>
    public Action<FileOutcome>? OnEntry { get; init; }

    /// <summary>Live counters (optional): bytes handed to the connection, entries answered.</summary>
    public TransferProgress? Progress { get; init; }
}
