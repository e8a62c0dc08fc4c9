namespace Sockit.Files;

/// <summary>One entry a sender will send: where it is on this machine and the header it goes with.</summary>
/// <param name="LocalPath">The file or directory on this machine.</param>
/// <param name="Entry">Its header (name relative to the argument's parent, size, mode, mtime).</param>
public readonly record struct SendSource(string LocalPath, FileEntry Entry);
