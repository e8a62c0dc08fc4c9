using System.IO.Enumeration;

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
    private const int DirectoryType = 0x4000; // S_IFDIR
    private const int LinkType = 0xA000; // S_IFLNK

    private static readonly EnumerationOptions ListingOptions = new()
    {
        RecurseSubdirectories = false,
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        ReturnSpecialDirectories = false,
    };

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

    private static IEnumerable<SendSource> WalkDirectory(string directory, string name, bool resume, Action<FileOutcome>? onSkipped) =>
        OperatingSystem.IsLinux() ? WalkDirectoryLinux(directory, name, resume, onSkipped) : WalkDirectoryPortable(directory, name, resume, onSkipped);

    /// <summary>
    /// As <see cref="WalkDirectoryPortable"/>, with one <c>statx</c> per entry for its type, mode, size and mtime (.NET's
    /// listing makes an <c>lstat</c> per entry and a FIFO still needs a <c>statx</c> to be told from a file).
    /// </summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static IEnumerable<SendSource> WalkDirectoryLinux(string directory, string name, bool resume, Action<FileOutcome>? onSkipped)
    {
        var children = new FileSystemEnumerable<string>(directory, static (ref FileSystemEntry entry) => entry.FileName.ToString(), ListingOptions).ToList();
        children.Sort(StringComparer.Ordinal);
        foreach (var child in children)
        {
            var childName = name + "/" + child;
            var path = Path.Join(directory, child);
            if (!LinuxFileCalls.TryStat(path, out var stat, out var error))
            {
                onSkipped?.Invoke(new FileOutcome(childName, FileEntryKind.File, FileOutcomeStatus.Skipped,
                    $"cannot read it here: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(error)}", 0));
            }
            else if (stat.Type == LinkType)
            {
                onSkipped?.Invoke(new FileOutcome(childName, FileEntryKind.File, FileOutcomeStatus.Skipped,
                    $"a symbolic link (to '{ReceivedName.Printable(new FileInfo(path).LinkTarget ?? "?")}'): not followed, not sent", 0));
            }
            else if (stat.Type == DirectoryType)
            {
                foreach (var source in WalkDirectoryLinux(path, childName, resume, onSkipped))
                {
                    yield return source;
                }
            }
            else if (stat.Type == RegularFileType)
            {
                yield return new SendSource(path, new FileEntry(childName, FileEntryKind.File, stat.Size, stat.Mode, stat.ModifiedAt, resume));
            }
            else
            {
                onSkipped?.Invoke(new FileOutcome(childName, FileEntryKind.File, FileOutcomeStatus.Skipped,
                    "not a regular file (a FIFO, socket or device): not sent", 0));
            }
        }

        yield return DirectoryEntry(directory, name, resume);
    }

    private static IEnumerable<SendSource> WalkDirectoryPortable(string directory, string name, bool resume, Action<FileOutcome>? onSkipped)
    {
        var children = new DirectoryInfo(directory).EnumerateFileSystemInfos("*", ListingOptions).OrderBy(info => info.Name, StringComparer.Ordinal).ToList();
        foreach (var child in children)
        {
            var childName = name + "/" + child.Name;
            // The attributes come with the directory listing; only a link costs a readlink, to say where it leads.
            if ((child.Attributes & FileAttributes.ReparsePoint) != 0)
            {
                onSkipped?.Invoke(new FileOutcome(childName, FileEntryKind.File, FileOutcomeStatus.Skipped,
                    $"a symbolic link (to '{ReceivedName.Printable(child.LinkTarget ?? "?")}'): not followed, not sent", 0));
            }
            else if (child is DirectoryInfo)
            {
                foreach (var source in WalkDirectoryPortable(child.FullName, childName, resume, onSkipped))
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
                onSkipped?.Invoke(new FileOutcome(childName, FileEntryKind.File, FileOutcomeStatus.Skipped,
                    "not a regular file (a FIFO, socket or device): not sent", 0));
            }
        }

        yield return DirectoryEntry(directory, name, resume);
    }

    private static SendSource DirectoryEntry(string directory, string name, bool resume)
    {
        var info = new DirectoryInfo(directory);
        return new SendSource(directory, new FileEntry(name, FileEntryKind.Directory, 0, ModeOf(info), info.LastWriteTimeUtc, resume));
    }

    private static FileEntry Header(FileInfo file, string name, bool resume) =>
        new(name, FileEntryKind.File, file.Length, ModeOf(file), file.LastWriteTimeUtc, resume);

    private static int ModeOf(FileSystemInfo info) => OperatingSystem.IsWindows() ? 0x1A4 /* 0o644 */ : (int)info.UnixFileMode;

    // FileInfo does not tell a FIFO, a socket or a device from a regular file, and opening a FIFO to read it blocks
    // until someone writes: the type bits come from statx(2) (Linux; elsewhere every non-directory is a file).
    private static bool IsRegular(string path, bool followLinks) =>
        !OperatingSystem.IsLinux()
        || (LinuxFileCalls.TryStat(path, out var stat, out _, followLinks) && stat.Type == RegularFileType);

    private static string Name(string path) => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));
}
