using System.Net.Sockets;
using Sockit.Files;

namespace Sockit.Connections.Internal;

/// <summary>
/// The file a Unix domain socket listener binds. bind(2) fails with EADDRINUSE when the path exists, even when the
/// server that made it is long gone, so before binding a path that exists: a socket nobody listens on (stale) is
/// removed; a socket with a listener, or anything that is not a socket, is refused with one clear line.
/// </summary>
internal static class UnixSocketFile
{
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

    /// <summary>
    /// False when nothing is at <paramref name="path"/>; otherwise whether it is a socket (not following links). Where
    /// statx(2) is missing (not Linux), nothing that exists counts as a socket, so nothing is ever removed.
    /// </summary>
    private static bool TryIsSocket(string path, out bool isSocket)
    {
        if (!OperatingSystem.IsLinux())
        {
            isSocket = false;
            return Path.Exists(path);
        }

        var exists = LinuxFileCalls.TryStat(path, out var stat, out _);
        isSocket = exists && stat.Type == SocketType;
        return exists;
    }
}
