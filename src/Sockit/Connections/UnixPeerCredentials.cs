using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Sockit.Connections;

/// <summary>
/// Who is on the other end of a Unix domain socket, as the kernel recorded it at connect (SO_PEERCRED, unix(7)):
/// the peer's process id, user id and group id. Unforgeable, unlike anything sent over the socket.
/// </summary>
/// <param name="ProcessId">The peer process's pid.</param>
/// <param name="UserId">Its effective uid.</param>
/// <param name="GroupId">Its effective gid.</param>
public readonly record struct UnixPeerCredentials(int ProcessId, int UserId, int GroupId)
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>Reads the credentials of a connected Unix socket's peer; null for any other socket, or when unknown.</summary>
    public static UnixPeerCredentials? Of(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (socket.AddressFamily != AddressFamily.Unix || !OperatingSystem.IsLinux())
        {
            return null;
        }

        Span<byte> ucred = stackalloc byte[12]; // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        try
        {
            if (socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred) < ucred.Length)
            {
                return null;
            }
        }
        catch (SocketException)
        {
            return null;
        }

        return new UnixPeerCredentials(
            MemoryMarshal.Read<int>(ucred),
            MemoryMarshal.Read<int>(ucred[4..]),
            MemoryMarshal.Read<int>(ucred[8..]));
    }

    /// <summary><c>pid 1234, uid 1000, gid 1000</c>.</summary>
    public override string ToString() => $"pid {ProcessId}, uid {UserId}, gid {GroupId}";
}
