namespace Sockit.Files;

/// <summary>
/// Walks what a sender was asked to send: each argument is a file (sent under its own name) or a directory (sent
/// with everything in it, under the directory's name, names relative to its parent). Lazy: one directory listing per
/// level is held at a time, never the whole tree.
/// </summary>
/// <remarks>
/// <para>Order: a directory's files and subdirectories (ordinal name order) come before the directory itself, so the
/// receiver sets a directory's mode and mtime after everything inside it was written (an empty directory is sent
/// too).</para>
/// <para>Symbolic links inside a tree are not followed and not sent (the receiver would refuse a link leading out
/// of the tree anyway); they and special files (FIFOs, sockets, devices) are reported as skipped. A symbolic link
/// given as an argument is followed: the user named it.</para>
/// </remarks>
public static class SendTree
{
    private const int RegularFileType = 0x8000; // S_IFREG

    /// <summary>Checks that every argument exists; returns why not for the first that does not, or null.</summary>
    public static string? CheckArguments(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        foreach (var path in paths)
        {
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                return $"'{path}': no such file or directory";
            }

            if (!Directory.Exists(path) && !IsRegular(path, followLinks: true))
            {
                return $"'{path}': not a regular file or a directory (a FIFO, socket or device is not sent)";
            }

            if (Name(path).Length == 0)
            {
                return $"'{path}': has no name to send it under (give a directory by name, e.g. ../dir)";
            }
        }

        return null;
    }

    /// <summary>
    /// The entries for <paramref name="paths"/>, in sending order. <paramref name="onSkipped"/> hears of each link or
    /// special file left out (its name and why).
    /// </summary>
    public static IEnumerable<SendSource> Walk(IEnumerable<string> paths, bool resume, Action<FileOutcome>? onSkipped = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        foreach (var path in paths)
        {
            var name = Name(path);
            if (Directory.Exists(path))
            {
                foreach (var source in WalkDirectory(path, name, resume, onSkipped))
                {
                    yield return source;
                }
            }
            else
            {
                yield return new SendSource(path, Header(new FileInfo(path), name, resume));
            }
        }
    }

    /// <summary>The entries' count and content bytes (a stat pass, for a progress display's totals).</summary>
    public static (long Entries, long Bytes) Measure(IEnumerable<string> paths)
    {
        long entries = 0, bytes = 0;
        foreach (var source in Walk(paths, resume: false))
        {
            entries++;
            bytes += source.Entry.Size;
        }

        return (entries, bytes);
    }

    private static IEnumerable<SendSource> WalkDirectory(string directory, string name, bool resume, Action<FileOutcome>? onSkipped)
    {
        var children = new DirectoryInfo(directory).EnumerateFileSystemInfos("*", new EnumerationOptions
        {
            RecurseSubdirectories = false,
            AttributesToSkip = 0,
            IgnoreInaccessible = false,
            ReturnSpecialDirectories = false,
        }).OrderBy(info => info.Name, StringComparer.Ordinal).ToList();
        foreach (var child in children)
        {
            var childName = name + "/" + child.Name;
            // The attributes come with the directory listing; only a link costs a readlink, to say where it leads.
            if ((child.Attributes & FileAttributes.ReparsePoint) != 0)
            {
                onSkipped?.Invoke(new FileOutcome(ReceivedName.Printable(childName), FileEntryKind.File, FileOutcomeStatus.Skipped,
                    $"a symbolic link (to '{ReceivedName.Printable(child.LinkTarget ?? "?")}'): not followed, not sent", 0));
            }
            else if (child is DirectoryInfo)
            {
                foreach (var source in WalkDirectory(child.FullName, childName, resume, onSkipped))
                {
                    yield return source;
                }
            }
            else if (child is FileInfo file && IsRegular(file.FullName, followLinks: false))
            {
                yield return new SendSource(file.FullName, Header(file, childName, resume));
            }
            else
            {
                onSkipped?.Invoke(new FileOutcome(ReceivedName.Printable(childName), FileEntryKind.File, FileOutcomeStatus.Skipped,
                    "not a regular file (a FIFO, socket or device): not sent", 0));
            }
        }

        var info = new DirectoryInfo(directory);
        yield return new SendSource(directory, new FileEntry(name, FileEntryKind.Directory, 0, ModeOf(info), info.LastWriteTimeUtc, resume));
    }

    private static FileEntry Header(FileInfo file, string name, bool resume) =>
        new(name, FileEntryKind.File, file.Length, ModeOf(file), file.LastWriteTimeUtc, resume);

    private static int ModeOf(FileSystemInfo info) => OperatingSystem.IsWindows() ? 0x1A4 /* 0o644 */ : (int)info.UnixFileMode;

    // FileInfo does not tell a FIFO, a socket or a device from a regular file, and opening a FIFO to read it blocks
    // until someone writes: the type bits come from statx(2) (Linux; elsewhere every non-directory is a file).
    private static bool IsRegular(string path, bool followLinks) =>
        !OperatingSystem.IsLinux()
        || (Connections.Internal.UnixSocketFile.TryGetFileType(path, followLinks, out var type) && type == RegularFileType);

    private static string Name(string path) => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));
}
