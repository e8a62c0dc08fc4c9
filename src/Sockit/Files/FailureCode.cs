namespace Sockit.Files;

/// <summary>Why a receiver refused or failed an entry (the code byte of a failed message, <c>docs/protocol.md</c>).</summary>
public enum FailureCode : byte
{
    /// <summary>The name is not a safe relative name inside the directory (absolute, <c>..</c>, control characters, a device name, through a symlink).</summary>
    UnsafeName = 1,

    /// <summary>Something already has that name and overwriting was not allowed (or it is of another kind).</summary>
    Exists = 2,

    /// <summary>Another sender is writing the same name right now.</summary>
    Busy = 3,

    /// <summary>The SHA-256 of what arrived is not the one the trailer gave: nothing was stored.</summary>
    HashMismatch = 4,

    /// <summary>Writing failed on the receiver (disk full, file too large, permission): nothing was stored.</summary>
    WriteError = 5,

    /// <summary>The header is not acceptable (an unknown kind, a directory with a size, bad flags).</summary>
    BadEntry = 6,
}
