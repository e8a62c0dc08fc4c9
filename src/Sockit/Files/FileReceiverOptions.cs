namespace Sockit.Files;

/// <summary>Settings of a <see cref="FileReceiver"/>.</summary>
public sealed record FileReceiverOptions
{
    /// <summary>The directory every entry is created in (required; must exist). Names are relative to it.</summary>
    public required string Directory { get; init; }

    /// <summary>Replace an existing file of the same name (default false: such a file is refused with <see cref="FailureCode.Exists"/>).</summary>
    public bool Overwrite { get; init; }

    /// <summary>How long a sender has to send its greeting after connecting (default 10 s).</summary>
    public TimeSpan GreetingTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Called once per entry with its outcome and the peer; from the connection's task (keep it short, thread-safe).</summary>
    public Action<string, FileOutcome>? OnEntry { get; init; }

    /// <summary>Called once per connection when it ends, with the peer and its totals; from the connection's task.</summary>
    public Action<string, TransferSummary>? OnSessionEnded { get; init; }

    /// <summary>Live counters over all connections (optional).</summary>
    public TransferProgress? Progress { get; init; }
}
