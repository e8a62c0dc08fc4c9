namespace Sockit.Files;

/// <summary>
/// One entry header of a transfer: what the sender claims. The receiver trusts none of it (see <see cref="ReceivedName"/>).
/// </summary>
/// <param name="Name">The relative name, <c>/</c>-separated UTF-8 (e.g. <c>photos/2024/a.jpg</c>).</param>
/// <param name="Kind">A file (content follows) or a directory.</param>
/// <param name="Size">The content length in bytes (0 for a directory); up to 2^63-1, so files over 4 GiB work.</param>
/// <param name="Mode">The Unix permission bits (0 to 0o7777; the receiver keeps only 0o777).</param>
/// <param name="ModifiedAt">The last write time, carried as nanoseconds since the Unix epoch (UTC); its precision is .NET's tick, 100 ns.</param>
/// <param name="Resume">The sender waits for an offer (what the receiver already holds) before sending content.</param>
public readonly record struct FileEntry(string Name, FileEntryKind Kind, long Size, int Mode, DateTimeOffset ModifiedAt, bool Resume = false);
