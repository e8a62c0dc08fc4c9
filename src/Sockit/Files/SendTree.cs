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
            if (!Directory.Exists(path) && LeadsNowhere(path) is { } target)
            {
                return $"'{path}': a symbolic link to '{target}' that leads nowhere (dangling, or a loop)";
            }

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
    /// The entries for <paramref name="paths"/>, in sending order. <paramref name="onLeftOut"/> hears of each entry left
    /// out, with its name and why: a link or special file inside a tree (<see cref="FileOutcomeStatus.Skipped"/>), or
    /// one that could not be read here, e.g. gone since it was named or listed (<see cref="FileOutcomeStatus.Failed"/>,
    /// as tar's "file removed before we read it").
    /// </summary>
    public static IEnumerable<SendSource> Walk(IEnumerable<string> paths, bool resume, Action<FileOutcome>? onLeftOut = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        foreach (var path in paths)
        {
            var name = Name(path);
            if (Directory.Exists(path))
            {
                foreach (var source in WalkDirectory(path, name, resume, onLeftOut))
                {
                    yield return source;
                }
            }
            else if (ArgumentHeader(path, name, resume, out var why) is { } header)
            {
                yield return new SendSource(path, header);
            }
            else
            {
                onLeftOut?.Invoke(new FileOutcome(name, FileEntryKind.File, FileOutcomeStatus.Failed, why, 0));
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

    private static IEnumerable<SendSource> WalkDirectory(string directory, string name, bool resume, Action<FileOutcome>? onLeftOut) =>
        OperatingSystem.IsLinux() ? WalkDirectoryLinux(directory, name, resume, onLeftOut) : WalkDirectoryPortable(directory, name, resume, onLeftOut);

    /// <summary>
    /// As <see cref="WalkDirectoryPortable"/>, with one <c>statx</c> per entry for its type, mode, size and mtime (.NET's
    /// listing makes an <c>lstat</c> per entry and a FIFO still needs a <c>statx</c> to be told from a file).
    /// </summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static IEnumerable<SendSource> WalkDirectoryLinux(string directory, string name, bool resume, Action<FileOutcome>? onLeftOut)
    {
        var children = new FileSystemEnumerable<string>(directory, static (ref FileSystemEntry entry) => entry.FileName.ToString(), ListingOptions).ToList();
        children.Sort(StringComparer.Ordinal);
        foreach (var child in children)
        {
            var childName = name + "/" + child;
            var path = Path.Join(directory, child);
            if (!LinuxFileCalls.TryStat(path, out var stat, out var error))
            {
                onLeftOut?.Invoke(new FileOutcome(childName, FileEntryKind.File, FileOutcomeStatus.Failed, CannotRead(error), 0));
            }
            else if (stat.Type == LinkType)
            {
                onLeftOut?.Invoke(new FileOutcome(childName, FileEntryKind.File, FileOutcomeStatus.Skipped,
                    $"a symbolic link (to '{ReceivedName.Printable(new FileInfo(path).LinkTarget ?? "?")}'): not followed, not sent", 0));
            }
            else if (stat.Type == DirectoryType)
            {
                foreach (var source in WalkDirectoryLinux(path, childName, resume, onLeftOut))
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
                onLeftOut?.Invoke(new FileOutcome(childName, FileEntryKind.File, FileOutcomeStatus.Skipped,
                    "not a regular file (a FIFO, socket or device): not sent", 0));
            }
        }

        yield return DirectoryEntry(directory, name, resume);
    }

    private static IEnumerable<SendSource> WalkDirectoryPortable(string directory, string name, bool resume, Action<FileOutcome>? onLeftOut)
    {
        var children = new DirectoryInfo(directory).EnumerateFileSystemInfos("*", ListingOptions).OrderBy(info => info.Name, StringComparer.Ordinal).ToList();
        foreach (var child in children)
        {
            var childName = name + "/" + child.Name;
            // The attributes come with the directory listing; only a link costs a readlink, to say where it leads.
            if ((child.Attributes & FileAttributes.ReparsePoint) != 0)
            {
                onLeftOut?.Invoke(new FileOutcome(childName, FileEntryKind.File, FileOutcomeStatus.Skipped,
                    $"a symbolic link (to '{ReceivedName.Printable(child.LinkTarget ?? "?")}'): not followed, not sent", 0));
            }
            else if (child is DirectoryInfo)
            {
                foreach (var source in WalkDirectoryPortable(child.FullName, childName, resume, onLeftOut))
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
                onLeftOut?.Invoke(new FileOutcome(childName, FileEntryKind.File, FileOutcomeStatus.Skipped,
                    "not a regular file (a FIFO, socket or device): not sent", 0));
            }
        }

        yield return DirectoryEntry(directory, name, resume);
    }

    /// <summary>A directory's entry: a directory named as a symbolic link has its target's mode and mtime, as a file does.</summary>
    private static SendSource DirectoryEntry(string directory, string name, bool resume)
    {
        if (OperatingSystem.IsLinux() && LinuxFileCalls.TryStat(directory, out var stat, out _, followLinks: true))
        {
            return new SendSource(directory, new FileEntry(name, FileEntryKind.Directory, 0, stat.Mode, stat.ModifiedAt, resume));
        }

        var info = new DirectoryInfo(directory);
        var target = info.LinkTarget is null ? info : info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
        return new SendSource(directory, new FileEntry(name, FileEntryKind.Directory, 0, ModeOf(target), target.LastWriteTimeUtc, resume));
    }

    private static FileEntry Header(FileInfo file, string name, bool resume) =>
        new(name, FileEntryKind.File, file.Length, ModeOf(file), file.LastWriteTimeUtc, resume);

    /// <summary>
    /// The header of a file named as an argument: a symbolic link is followed (the user named it), so the size, mode
    /// and mtime are its target's. Null, with why, when it cannot be read here (gone since it was checked, a dangling
    /// link) or is no longer a regular file.
    /// </summary>
    private static FileEntry? ArgumentHeader(string path, string name, bool resume, out string why)
    {
        why = "";
        if (OperatingSystem.IsLinux())
        {
            if (!LinuxFileCalls.TryStat(path, out var stat, out var error, followLinks: true))
            {
                why = CannotRead(error);
                return null;
            }

            if (stat.Type != RegularFileType)
            {
                why = "not a regular file (a FIFO, socket or device): not sent";
                return null;
            }

            return new FileEntry(name, FileEntryKind.File, stat.Size, stat.Mode, stat.ModifiedAt, resume);
        }

        try
        {
            var file = new FileInfo(path);
            var target = file.LinkTarget is null ? file : file.ResolveLinkTarget(returnFinalTarget: true) as FileInfo;
            if (target is { Exists: true })
            {
                return Header(target, name, resume);
            }

            why = "cannot read it here: no such file";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            why = $"cannot read it here: {ex.Message}";
        }

        return null;
    }

    /// <summary>Where <paramref name="path"/> points when it is a symbolic link whose final target does not exist (or a loop); otherwise null.</summary>
    private static string? LeadsNowhere(string path)
    {
        var link = new FileInfo(path);
        if (link.LinkTarget is not { } target)
        {
            return null;
        }

        try
        {
            return link.ResolveLinkTarget(returnFinalTarget: true) is { Exists: true } ? null : target;
        }
        catch (IOException)
        {
            return target; // ELOOP: too many levels of symbolic links
        }
    }

    private static string CannotRead(int errno) => $"cannot read it here: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)}";

    private static int ModeOf(FileSystemInfo info) => OperatingSystem.IsWindows() ? 0x1A4 /* 0o644 */ : (int)info.UnixFileMode;

    // FileInfo does not tell a FIFO, a socket or a device from a regular file, and opening a FIFO to read it blocks
    // until someone writes: the type bits come from statx(2) (Linux; elsewhere every non-directory is a file).
    private static bool IsRegular(string path, bool followLinks) =>
        !OperatingSystem.IsLinux()
        || (LinuxFileCalls.TryStat(path, out var stat, out _, followLinks) && stat.Type == RegularFileType);

    private static string Name(string path) => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));
}
