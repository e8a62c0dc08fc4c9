using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Sockit.Files;

/// <summary>
/// The few file system calls of a transfer made directly (Linux), where .NET's own make several: .NET's
/// <c>File.OpenHandle</c> adds <c>fstat</c>, <c>lseek</c> and <c>flock</c> twice to every <c>open</c>,
/// <c>File.SetLastWriteTimeUtc</c> an <c>fstat</c> to <c>futimens</c>, and <c>File.Move</c> three <c>lstat</c>s to
/// <c>rename</c>. For 10,000 small files that is most of the receiver's system calls (docs/performance.md).
/// </summary>
[SupportedOSPlatform("linux")]
internal static partial class LinuxFileCalls
{
    private const int ReadOnly = 0x0; // O_RDONLY
    private const int ReadWrite = 0x2; // O_RDWR
    private const int Create = 0x40; // O_CREAT
    private const int Exclusive = 0x80; // O_EXCL
    private const int CloseOnExec = 0x80000; // O_CLOEXEC
    private const int NoControllingTerminal = 0x100; // O_NOCTTY
    private const int NonBlocking = 0x800; // O_NONBLOCK: a FIFO does not wait for a writer
    private const int NoFollow = 0x20000; // O_NOFOLLOW: a symbolic link fails with ELOOP
    private const int EmptyPath = 0x1000; // AT_EMPTY_PATH: statx of the descriptor itself
    private const int RegularFileType = 0x8000; // S_IFREG
    private const int DirectoryType = 0x4000; // S_IFDIR
    private const int NoSuchFile = 2; // ENOENT
    private const int AtFdCwd = -100;
    private const int SymlinkNoFollow = 0x100; // AT_SYMLINK_NOFOLLOW
    private const uint RenameNoReplace = 1; // RENAME_NOREPLACE
    private const long UtimeOmit = (1L << 30) - 2; // UTIME_OMIT: leave that time as it is
    private const int InvalidArgument = 22; // EINVAL: the file system has no RENAME_NOREPLACE
    private const int NoSuchCall = 38; // ENOSYS
    private const uint StatWanted = 0x1 | 0x2 | 0x40 | 0x200; // STATX_TYPE | STATX_MODE | STATX_MTIME | STATX_SIZE

    /// <summary><c>EEXIST</c>: something has that name.</summary>
    public const int FileExists = 17;

    /// <summary>The process's umask (from <c>/proc/self/status</c>; reading it with umask(2) would change it for a moment).</summary>
    private static readonly Lazy<int> ProcessUmask = new(ReadUmask);

    /// <summary>
    /// Creates <paramref name="path"/> for reading and writing, failing if anything has that name (<c>O_EXCL</c>, no
    /// lock), with <paramref name="mode"/> (permission bits) and owner read and write as its mode at creation (a
    /// partial file left behind must stay writable for <c>--resume</c>). Null when that fails (then
    /// <see cref="OpenPartial"/> handles what has the name and says what went wrong).
    /// </summary>
    /// <param name="path">The partial file's path.</param>
    /// <param name="mode">The permission bits wanted (0 to 0o777).</param>
    /// <param name="exactMode">True when the file got exactly <paramref name="mode"/> (the umask took nothing away
    /// and the mode has owner read and write): no <c>fchmod</c> is needed.</param>
    /// <param name="error">The <c>errno</c> when that fails (<see cref="FileExists"/>: something has that name), else 0.</param>
    public static SafeFileHandle? TryCreateNew(string path, int mode, out bool exactMode, out int error)
    {
        const int OwnerReadWrite = 0x180; // 0o600
        var fd = Open(path, ReadWrite | Create | Exclusive | CloseOnExec, mode | OwnerReadWrite);
        error = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        exactMode = fd >= 0 && (mode & OwnerReadWrite) == OwnerReadWrite && (mode & ProcessUmask.Value) == 0;
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>
    /// Opens the partial file <paramref name="path"/> for reading and writing as it is, only if it is a regular file
    /// with one link; anything else with that name (a symbolic link, a FIFO, a socket, a device, a hard link to a file
    /// elsewhere) is unlinked, the name itself and never what it points to, and a new file is made with
    /// <see cref="TryCreateNew"/>. The open never follows a link (<c>O_NOFOLLOW</c>) nor waits on a FIFO
    /// (<c>O_NONBLOCK</c>), and the check is <c>fstat</c> of what was opened, so nothing planted at the name is ever
    /// read or written.
    /// </summary>
    /// <param name="path">The partial file's path.</param>
    /// <param name="mode">The permission bits for a new file (0 to 0o777).</param>
    /// <param name="created">True when the file was made just now (empty, with its mode).</param>
    /// <param name="exactMode">As <see cref="TryCreateNew"/> tells, for a file made just now.</param>
    /// <exception cref="IOException">The name could not be opened, unlinked or created (the message says why).</exception>
    public static unsafe SafeFileHandle OpenPartial(string path, int mode, out bool created, out bool exactMode)
    {
        (created, exactMode) = (false, false);
        var fd = Open(path, ReadWrite | NoFollow | NonBlocking | NoControllingTerminal | CloseOnExec, 0);
        var error = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        if (fd >= 0)
        {
            var file = new SafeFileHandle(fd, ownsHandle: true);
            const uint Wanted = 0x1 | 0x4; // STATX_TYPE | STATX_NLINK
            var buffer = stackalloc byte[256]; // sizeof(struct statx)
            if (StatxHandle(file, "", EmptyPath, Wanted, buffer) != 0)
            {
                error = Marshal.GetLastPInvokeError();
                file.Dispose();
                throw new IOException($"cannot check the partial file: {Marshal.GetPInvokeErrorMessage(error)}");
            }

            if ((*(ushort*)(buffer + 0x1C) & 0xF000) == RegularFileType && *(uint*)(buffer + 0x10) == 1) // stx_mode, stx_nlink
            {
                return file;
            }

            file.Dispose();
        }
        else if (error != NoSuchFile && !IsPlanted(path))
        {
            throw new IOException($"cannot open the partial file: {Marshal.GetPInvokeErrorMessage(error)}");
        }

        if (error != NoSuchFile && Unlink(path) != 0 && Marshal.GetLastPInvokeError() is var unlinkError and not NoSuchFile)
        {
            throw new IOException($"cannot remove what has the partial file's name: {Marshal.GetPInvokeErrorMessage(unlinkError)}");
        }

        var fresh = TryCreateNew(path, mode, out exactMode, out error)
            ?? throw new IOException($"cannot create the partial file: {Marshal.GetPInvokeErrorMessage(error)}");
        created = true;
        return fresh;
    }

    /// <summary>Is what has this name something that is not a regular file (a link, a socket...), so it may be unlinked?</summary>
    private static bool IsPlanted(string path) =>
        TryStat(path, out var stat, out _) && stat.Type is not RegularFileType and not DirectoryType;

    /// <summary>Opens <paramref name="path"/> to read (no lock, no <c>fstat</c>); null when that fails (the caller then takes .NET's path for its error).</summary>
    public static SafeFileHandle? TryOpenRead(string path)
    {
        var fd = Open(path, ReadOnly | CloseOnExec, 0);
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>
    /// What one <c>statx</c> tells of <paramref name="path"/> (of a link itself unless <paramref name="followLinks"/>):
    /// its type bits (<c>S_IFMT</c>: 0x8000 regular, 0x4000 directory, 0xA000 link, 0xC000 socket, 0x1000 FIFO,
    /// 0x2000/0x6000 devices), its mode bits (0o7777), size in bytes and modification time. False when it cannot be
    /// read (nothing there, gone meanwhile, no permission), with the <c>errno</c>. Linux only.
    /// </summary>
    public static unsafe bool TryStat(string path, out FileStat stat, out int error, bool followLinks = false)
    {
        var buffer = stackalloc byte[256]; // sizeof(struct statx)
        if (Statx(AtFdCwd, path, followLinks ? 0 : SymlinkNoFollow, StatWanted, buffer) != 0)
        {
            (stat, error) = (default, Marshal.GetLastPInvokeError());
            return false;
        }

        (stat, error) = (Parse(buffer), 0);
        return true;
    }

    /// <summary>
    /// What one <c>statx</c> of the open <paramref name="file"/> itself tells (as <see cref="TryStat"/>: type, mode,
    /// size, modification time); false when it cannot be read.
    /// </summary>
    public static unsafe bool TryStatHandle(SafeFileHandle file, out FileStat stat)
    {
        var buffer = stackalloc byte[256]; // sizeof(struct statx)
        if (StatxHandle(file, "", EmptyPath, StatWanted, buffer) != 0)
        {
            stat = default;
            return false;
        }

        stat = Parse(buffer);
        return true;
    }

    private static unsafe FileStat Parse(byte* buffer)
    {
        var mode = *(ushort*)(buffer + 0x1C); // stx_mode
        var seconds = *(long*)(buffer + 0x70); // stx_mtime.tv_sec
        var nanoseconds = *(uint*)(buffer + 0x78); // stx_mtime.tv_nsec
        var modified = new DateTimeOffset(DateTime.UnixEpoch.Ticks + (seconds * TimeSpan.TicksPerSecond) + (nanoseconds / 100), TimeSpan.Zero);
        return new FileStat(mode & 0xF000, mode & 0xFFF, *(long*)(buffer + 0x28), modified);
    }

    /// <summary>Sets the modification time with one <c>futimens</c> (the access time is left as it is); false on failure.</summary>
    public static unsafe bool TrySetModifiedTime(SafeFileHandle file, DateTimeOffset modifiedAt)
    {
        var ticks = modifiedAt.UtcTicks - DateTime.UnixEpoch.Ticks;
        var times = stackalloc long[4];
        times[0] = 0;
        times[1] = UtimeOmit;
        times[2] = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rest);
        times[3] = rest * 100;
        if (times[3] < 0)
        {
            times[2]--;
            times[3] += 1_000_000_000;
        }

        return Futimens(file, times) == 0;
    }

    /// <summary>
    /// Renames <paramref name="from"/> to <paramref name="to"/>; unless <paramref name="replace"/>, only if nothing has
    /// that name (<c>renameat2</c> with <c>RENAME_NOREPLACE</c>: the check and the rename are one step, no race).
    /// Returns 0, or the <c>errno</c>: <see cref="FileExists"/> when the name was taken, see <see cref="IsUnsupported"/>.
    /// </summary>
    public static int Rename(string from, string to, bool replace)
    {
        try
        {
            return RenameAt2(AtFdCwd, from, AtFdCwd, to, replace ? 0 : RenameNoReplace) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
        catch (EntryPointNotFoundException)
        {
            return NoSuchCall; // glibc before 2.28 has no renameat2: the caller takes File.Move.
        }
    }

    /// <summary>Is <paramref name="error"/> "this file system cannot rename without replacing" (EINVAL, ENOSYS)?</summary>
    public static bool IsUnsupported(int error) => error is InvalidArgument or NoSuchCall;

    private static int ReadUmask()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("Umask:", StringComparison.Ordinal))
                {
                    return Convert.ToInt32(line["Umask:".Length..].Trim(), 8);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            // Unknown: assume every bit may be taken away, so the mode is always set again with fchmod.
        }

        return 0x1FF;
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int Statx(int directory, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int StatxHandle(SafeFileHandle directory, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "unlink", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Unlink(string path);

    [LibraryImport("libc", EntryPoint = "futimens", SetLastError = true)]
    private static unsafe partial int Futimens(SafeFileHandle fd, long* times);

    [LibraryImport("libc", EntryPoint = "renameat2", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int RenameAt2(int oldDirectory, string oldPath, int newDirectory, string newPath, uint flags);
}

/// <summary>A file's type bits (<c>S_IFMT</c>), mode bits (0o7777), size in bytes and modification time, from <see cref="LinuxFileCalls.TryStat"/>.</summary>
internal readonly record struct FileStat(int Type, int Mode, long Size, DateTimeOffset ModifiedAt);
