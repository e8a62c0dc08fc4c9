namespace Sockit.Files;

/// <summary>What an entry of a transfer is (the kind byte of an entry header).</summary>
public enum FileEntryKind : byte
{
    /// <summary>A regular file: its content follows the header.</summary>
    File = 0,

    /// <summary>A directory: no content. Sent after everything inside it, so its mode and mtime are set last.</summary>
    Directory = 1,
}
