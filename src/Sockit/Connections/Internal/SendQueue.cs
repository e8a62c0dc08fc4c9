using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Sockit.Connections.Internal;

/// <summary>
/// What a stream socket has sent that its peer has not yet taken: Linux's <c>SIOCOUTQ</c> ioctl (tcp(7), unix(7)).
/// For TCP that is the bytes (and FIN) not yet acknowledged by the peer's kernel; for a Unix socket, the memory of
/// the messages the peer has not read yet. Either way zero means everything sent has arrived.
/// </summary>
internal static partial class SendQueue
{
    private const nuint SiocOutq = 0x5411; // SIOCOUTQ = TIOCOUTQ on Linux

    /// <summary>
    /// The amount not yet taken (bytes for TCP, buffer memory for Unix sockets), or null where the kernel cannot say
    /// (not Linux).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The socket was closed.</exception>
    public static long? Unconfirmed(Socket socket)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var handle = socket.SafeHandle;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return IoctlInt(handle.DangerousGetHandle(), SiocOutq, out var value) == 0 ? value : null;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "ioctl")]
    private static partial int IoctlInt(nint fd, nuint request, out int value);
}
