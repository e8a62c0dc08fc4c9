using System.Runtime.InteropServices;

namespace Sockit.Cli.Output;

/// <summary>
/// Whether stdin, stdout and stderr are really the ones the shell gave us. Started with one closed (<c>&lt;&amp;-</c>,
/// <c>&gt;&amp;-</c>), the runtime reuses the number for a descriptor of its own before <c>Main</c> runs (a pipe,
/// seen in <c>/proc/PID/fd</c>), and "stdin" read that pipe forever: <c>connect … &lt;&amp;-</c> never sent FIN.
/// An inherited standard stream never has close-on-exec set (exec would have closed it); the runtime's
/// descriptors always do, which tells them apart. A closed stdin then reads as empty (EOF, as nc treats it) and
/// closed output is discarded, as with <c>&gt;/dev/null</c>.
/// </summary>
internal static partial class StandardDescriptors
{
    private const int GetDescriptorFlags = 1; // F_GETFD
    private const int CloseOnExec = 1;        // FD_CLOEXEC

    /// <summary>stdin, or an empty stream when the process was started with stdin closed.</summary>
    public static Stream OpenInput() => IsInherited(0) ? Console.OpenStandardInput() : Stream.Null;

    /// <summary>True when descriptor <paramref name="fd"/> (0–2) is the stream the process was started with.</summary>
    public static bool IsInherited(int fd)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return true;
        }

        var flags = GetFlags(fd, GetDescriptorFlags);
        return flags >= 0 && (flags & CloseOnExec) == 0;
    }

    [LibraryImport("libc", EntryPoint = "fcntl")]
    private static partial int GetFlags(int fd, int command);
}
