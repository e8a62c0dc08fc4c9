using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Sockit.Connections.Internal;

/// <summary>
/// The file a Unix domain socket listener binds. bind(2) fails with EADDRINUSE when the path exists, even when the
/// server that made it is long gone, so before binding a path that exists: a socket nobody listens on (stale) is
/// removed; a socket with a listener, or anything that is not a socket, is refused with one clear line.
/// </summary>
internal static partial class UnixSocketFile
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28; // stx_mode in struct statx: the same on every architecture (statx(2)).
    private const int TypeMask = 0xF000; // S_IFMT
    private const int SocketType = 0xC000; // S_IFSOCK

    /// <summary>Makes <paramref name="path"/> free to bind, or throws saying why it is not.</summary>
    /// <exception cref="ConnectionException">A server listens there, or the path is not a socket.</exception>
    public static void ClearStale(string path, string display)
    {
        if (!TryIsSocket(path, out var isSocket))
        {
            return; // Nothing there: bind creates it.
        }

        if (!isSocket)
        {
            throw new ConnectionException(ConnectionErrorKind.AddressInUse, display,
                $"cannot listen on {display}: the path exists and is not a socket (remove it or choose another path)");
        }

        using var probe = new Socket(AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            File.Delete(path); // Stale: the server that made it has gone.
            return;
        }
        catch (SocketException)
        {
            return; // Not ours to judge (permission denied…): bind will say what is wrong.
        }

        throw new ConnectionException(ConnectionErrorKind.AddressInUse, display, $"cannot listen on {display}: a server is already listening there");
    }

    /// <summary>Removes the socket file a listener made, if it is still a socket.</summary>
    public static void Remove(string path)
    {
        try
        {
            if (TryIsSocket(path, out var isSocket) && isSocket)
            {
                File.Delete(path);
            }
        }
        catch (IOException)
        {
            // Gone already, or its directory went away.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>False when nothing is at <paramref name="path"/>; otherwise whether it is a socket (not following links).</summary>
    private static bool TryIsSocket(string path, out bool isSocket)
    {
        isSocket = TryGetFileType(path, followLinks: false, out var type) && type == SocketType;
        return type != 0;
    }

    /// <summary>
    /// The file type bits (<c>S_IFMT</c> of <c>st_mode</c>: 0x8000 regular, 0x4000 directory, 0x1000 FIFO, 0xC000
    /// socket, 0x2000/0x6000 devices, 0xA000 link) of <paramref name="path"/> by statx(2); false (and 0) when nothing
    /// is there. Linux only.
    /// </summary>
    internal static unsafe bool TryGetFileType(string path, bool followLinks, out int type)
    {
        var buffer = stackalloc byte[256]; // sizeof(struct statx) is 256.
        if (Statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, StatxType, buffer) != 0)
        {
            type = 0;
            return false;
        }

        type = *(ushort*)(buffer + ModeOffset) & TypeMask;
        return true;
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);
}
