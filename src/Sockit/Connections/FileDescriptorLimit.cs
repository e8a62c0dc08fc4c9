using System.Runtime.InteropServices;

namespace Sockit.Connections;

/// <summary>
/// The process's limit on open file descriptors (<c>RLIMIT_NOFILE</c>, what <c>ulimit -n</c> shows): every socket is
/// one. A server that takes the last descriptor cannot even start a thread (the runtime reads
/// <c>/proc/self/status</c> when it creates one, and treats the failure as fatal: "Out of memory.", exit 134), so
/// servers keep a reserve, see <see cref="ConnectionsAllowed"/>.
/// </summary>
public static partial class FileDescriptorLimit
{
    /// <summary>Descriptors a server leaves free for the runtime and its own work (threads, files, logging).</summary>
    public const int Reserve = 32;

    /// <summary>The soft limit now (what <c>ulimit -Sn</c> prints); <see cref="int.MaxValue"/> where it is unknown.</summary>
    public static int Current => TryGet(out var soft, out _) ? soft : int.MaxValue;

    /// <summary>Descriptors open in this process now (the entries of <c>/proc/self/fd</c>); 0 where that is unknown.</summary>
    public static int OpenCount
    {
        get
        {
            try
            {
                return Directory.Exists("/proc/self/fd") ? Directory.GetFileSystemEntries("/proc/self/fd").Length : 0;
            }
            catch (IOException)
            {
                return 0; // Out of descriptors to even list them.
            }
        }
    }

    /// <summary>
    /// How many more connections this process can hold: the soft limit less what is open and
    /// <see cref="Reserve"/>, at least 1 and at most <paramref name="cap"/> (default 10,000).
    /// </summary>
    public static int ConnectionsAllowed(int cap = 10_000)
    {
        var current = Current;
        return current == int.MaxValue ? cap : Math.Clamp(current - OpenCount - Reserve, 1, cap);
    }

    /// <summary>
    /// Raises the soft limit to the hard one (as nginx's <c>worker_rlimit_nofile</c> or systemd's
    /// <c>LimitNOFILE</c> would), so the process may use every descriptor it is allowed. Returns the soft limit in
    /// force afterwards. Does nothing where the limit is unknown (not Linux or macOS).
    /// </summary>
    public static int RaiseToHardLimit()
    {
        if (!TryGet(out var soft, out var hard) || soft >= hard)
        {
            return soft;
        }

        var limit = new RLimit { Current = (ulong)hard, Maximum = (ulong)hard };
        return SetRLimit(Resource, in limit) == 0 ? hard : soft;
    }

    private static int Resource => OperatingSystem.IsMacOS() ? 8 : 7; // RLIMIT_NOFILE

    private static bool TryGet(out int soft, out int hard)
    {
        soft = hard = int.MaxValue;
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) || GetRLimit(Resource, out var limit) != 0)
        {
            return false;
        }

        soft = (int)Math.Min(limit.Current, int.MaxValue);
        hard = (int)Math.Min(limit.Maximum, int.MaxValue);
        return true;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit")]
    private static partial int GetRLimit(int resource, out RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit")]
    private static partial int SetRLimit(int resource, in RLimit limit);
}
